"""The cookies Reprise sets, with the attributes security.md asks for."""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.requests import Request

from app.config import get_settings


def session_cookie_name() -> str:
    # The __Host- prefix requires Secure, which plain-http local development cannot use.
    return "__Host-reprise_session" if get_settings().secure_cookies else "reprise_session"


LANG_COOKIE = "reprise_lang"
# Read back under either name (the secure one first): see LocaleMiddleware.
LANG_COOKIES = (f"__Host-{LANG_COOKIE}", LANG_COOKIE)


def lang_cookie_name() -> str:
    """The interface-language preference, with the same prefix rule as the session cookie."""
    return LANG_COOKIES[0] if get_settings().secure_cookies else LANG_COOKIE


def cookie_header(name: str, value: str, max_age: int | None, http_only: bool = True) -> str:
    cookie: SimpleCookie = SimpleCookie()
    cookie[name] = value
    morsel = cookie[name]
    morsel["path"] = "/"
    morsel["samesite"] = "Lax"
    if http_only:
        morsel["httponly"] = True
    if get_settings().secure_cookies:
        morsel["secure"] = True
    if max_age is not None:
        morsel["max-age"] = max_age
    return morsel.OutputString()


def queue_cookie(request: Request, header: str) -> None:
    """Ask SessionCookieMiddleware to send this Set-Cookie header with the response."""
    request.state.set_cookies = [*getattr(request.state, "set_cookies", []), header]


def session_token(request: Request) -> str | None:
    """The session token of this request: the one just issued, else the browser's cookie."""
    issued: str | None = getattr(request.state, "session_token", None)
    return issued or request.cookies.get(session_cookie_name())
