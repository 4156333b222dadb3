"""Rendering pages and redirects for the page routes."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import escape

from app.accounts.sessions import csrf_token_for
from app.config import Settings, get_settings
from app.cookies import session_token
from app.i18n import LOCALES, get_locale
from app.letters.kinds import GDPR_KINDS, RIGHT_KINDS
from app.templating import get_environment


def csrf_token(request: Request) -> str:
    token = session_token(request)
    return csrf_token_for(token) if token else ""


def render_page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
    cache_key: str | None = None,
) -> HTMLResponse:
    """Render a page template with what every page needs (locale, CSRF token, language links).

    A route whose page, for a given `cache_key`, changes only with a deployment passes that
    key: the page is then rendered once per template, key, path, language and signed-in state,
    with a stand-in where the CSRF token goes, and each request gets that rendering with its own
    token put in."""
    if cache_key is not None and status == 200:
        key = (template, cache_key, request.url.path, get_locale(), _signed_in(request))
        settings = get_settings()
        cached = _RENDERED.get(key)
        if cached is not None and cached[0] is settings:
            html = cached[1]
        else:
            html = _render(request, template, context, CSRF_STAND_IN)
            if len(_RENDERED) >= MAX_CACHED_PAGES:
                _RENDERED.clear()
            _RENDERED[key] = (settings, html)  # rendered again when the settings change
        token = csrf_token(request)
        return HTMLResponse(html.replace(CSRF_STAND_IN, str(escape(token))), status_code=status)
    return HTMLResponse(_render(request, template, context, csrf_token(request)), status)


# Pages rendered once (see render_page): template, key, path, language, signed in -> the
# settings they were rendered with, and the HTML.
_RENDERED: dict[tuple[str, str, str, str, bool], tuple[Settings, str]] = {}
MAX_CACHED_PAGES = 256
# Where the CSRF token goes in a cached page: random per process, so no page text holds it.
CSRF_STAND_IN = f"csrf-{secrets.token_hex(16)}-token"


def clear_rendered_pages() -> None:
    _RENDERED.clear()


def _signed_in(request: Request) -> bool:
    access = getattr(request.state, "access", None)
    return bool(access and access.actor.signed_in)


def _render(request: Request, template: str, context: dict[str, Any] | None, csrf: str) -> str:
    locale = get_locale()
    page_context: dict[str, Any] = {
        "request": request,
        "locale": locale,
        "other_locales": [code for code in LOCALES if code != locale],
        "current_path": quote(request.url.path),
        "csrf_token": csrf,
        "errors": {},
        "signed_in": _signed_in(request),
        "notice": "",
        # The footer says exactly what leaves the server: the company search, when it is on.
        "company_search_on": bool(get_settings().company_search_url),
        # The letter kinds' groups (app.letters.kinds), for pages that offer to track a request.
        "gdpr_kinds": GDPR_KINDS,
        "right_kinds": RIGHT_KINDS,
    }
    page_context.update(context or {})
    return get_environment().get_template(template).render(page_context)


def redirect(url: str) -> RedirectResponse:
    """POST, then redirect: the 303 makes the browser GET the next page."""
    return RedirectResponse(url, status_code=303)


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to go back to; anything else (another site, a scheme) becomes `default`."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value
