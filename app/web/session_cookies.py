"""Handing a new session to the browser, or taking it away."""

from __future__ import annotations

from fastapi import Request

from app.accounts.sessions import ABSOLUTE_LIFETIME
from app.cookies import cookie_header, queue_cookie, session_cookie_name


def give_session(request: Request, token: str) -> None:
    request.state.session_token = token
    queue_cookie(
        request,
        cookie_header(session_cookie_name(), token, int(ABSOLUTE_LIFETIME.total_seconds())),
    )


def forget_session(request: Request) -> None:
    queue_cookie(request, cookie_header(session_cookie_name(), "", 0))


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
