"""Typed dependencies for page routes: the browser session and the CSRF check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session

from app.accounts.sessions import (
    ABSOLUTE_LIFETIME,
    adoptable_token,
    csrf_token_valid,
    find_session,
    start_session,
)
from app.cookies import cookie_header, queue_cookie, session_cookie_name, session_token
from app.db import SessionDep
from app.errors import Forbidden
from app.i18n import gettext as _
from app.models.session import WebSession
from app.web.middleware import SAFE_METHODS


def optional_web_session(request: Request, db: SessionDep) -> WebSession | None:
    return find_session(db, request.cookies.get(session_cookie_name()))


async def web_session(request: Request, db: SessionDep) -> WebSession:
    """The browser's session, started now if it has none (pages with forms need one).

    Showing a form only gives the browser its token: the row is written when something is
    stored (the first form sent), so visitors who only read cost no database write. A browser
    without a cookie reading a page needs no database at all: its session is started on the
    event loop; anything else goes to a worker thread."""
    if request.method in SAFE_METHODS and not request.cookies.get(session_cookie_name()):
        return _web_session(request, db)
    return await run_in_threadpool(_web_session, request, db)


def _web_session(request: Request, db: Session) -> WebSession:
    cookie = request.cookies.get(session_cookie_name())
    existing = find_session(db, cookie)
    if existing is not None:
        return existing
    # The browser keeps the token it was given with a form, so every form it was shown stays
    # valid; a stale or foreign token is replaced.
    started = start_session(
        db, token=adoptable_token(db, cookie), pending=request.method in SAFE_METHODS
    )
    request.state.session_token = started.token
    if started.token != cookie:  # an adopted token is already the browser's
        queue_cookie(
            request,
            cookie_header(
                session_cookie_name(), started.token, int(ABSOLUTE_LIFETIME.total_seconds())
            ),
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
