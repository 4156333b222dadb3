"""Rendering pages and redirects for the page routes."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.accounts.sessions import csrf_token_for
from app.config import get_settings
from app.cookies import session_token
from app.i18n import LOCALES, get_locale
from app.letters.kinds import GDPR_KINDS, RIGHT_KINDS
from app.templating import get_environment


def csrf_token(request: Request) -> str:
    token = session_token(request)
    return csrf_token_for(token) if token else ""


def render_page(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Render a page template with what every page needs (locale, CSRF token, language links)."""
    locale = get_locale()
    access = getattr(request.state, "access", None)
    page_context: dict[str, Any] = {
        "request": request,
        "locale": locale,
        "other_locales": [code for code in LOCALES if code != locale],
        "current_path": quote(request.url.path),
        "csrf_token": csrf_token(request),
        "errors": {},
        "signed_in": bool(access and access.actor.signed_in),
        "notice": "",
        # The footer says exactly what leaves the server: the company search, when it is on.
        "company_search_on": bool(get_settings().company_search_url),
        # The letter kinds' groups (app.letters.kinds), for pages that offer to track a request.
        "gdpr_kinds": GDPR_KINDS,
        "right_kinds": RIGHT_KINDS,
    }
    page_context.update(context or {})
    html = get_environment().get_template(template).render(page_context)
    return HTMLResponse(html, status_code=status)


def redirect(url: str) -> RedirectResponse:
    """POST, then redirect: the 303 makes the browser GET the next page."""
    return RedirectResponse(url, status_code=303)


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to go back to; anything else (another site, a scheme) becomes `default`."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value
