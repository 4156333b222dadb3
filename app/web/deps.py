"""Typed dependencies for page routes: the browser session and the CSRF check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.accounts.sessions import (
    ABSOLUTE_LIFETIME,
    csrf_token_valid,
    find_session,
    start_session,
)
from app.db import SessionDep
from app.errors import Forbidden
from app.i18n import gettext as _
from app.models.session import WebSession
from app.web.cookies import cookie_header, queue_cookie, session_cookie_name, session_token
from app.web.middleware import SAFE_METHODS


def optional_web_session(request: Request, db: SessionDep) -> WebSession | None:
    return find_session(db, request.cookies.get(session_cookie_name()))


def web_session(request: Request, db: SessionDep) -> WebSession:
    """The browser's session, started now if it has none (pages with forms need one)."""
    existing = find_session(db, request.cookies.get(session_cookie_name()))
    if existing is not None:
        return existing
    started = start_session(db)
    request.state.session_token = started.token
    queue_cookie(
        request,
        cookie_header(session_cookie_name(), started.token, int(ABSOLUTE_LIFETIME.total_seconds())),
    )
    return started.session


OptionalWebSession = Annotated[WebSession | None, Depends(optional_web_session)]
WebSessionDep = Annotated[WebSession, Depends(web_session)]


async def csrf_protect(request: Request) -> None:
    """Every unsafe request from a page carries the form token of its session."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not csrf_token_valid(session_token(request), sent):
        raise Forbidden(_("Ce formulaire a expiré. Rechargez la page, puis recommencez."))
