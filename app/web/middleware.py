"""ASGI middleware: security headers, locale, session cookie, origin check, body limit."""

from __future__ import annotations

import json
import logging
import time
from functools import lru_cache
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.cookies import LANG_COOKIE, LANG_COOKIES
from app.i18n import LOCALES, negotiate, set_locale

logger = logging.getLogger("reprise.http")

# Exactly security.md item 9: images and fonts fall back to default-src 'self'.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
MAX_BODY_BYTES = 1_000_000
PLAIN_ROUTES = frozenset({"/healthz", "/readyz"})


class SecurityHeaders:
    """Adds the security headers to every response, errors and files included."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.hsts = settings.production
        # Encoded once: the same headers go with every answer.
        fixed = [
            ("Content-Security-Policy", CSP),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ]
        if self.hsts:
            fixed.append(("Strict-Transport-Security", "max-age=63072000; includeSubDomains"))
        self.fixed = [(name.lower().encode(), value.encode()) for name, value in fixed]
        self.names = frozenset(name for name, _value in self.fixed) | {b"cache-control"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self.headers(list(message.get("headers", ())), static)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def headers(self, given: list[tuple[bytes, bytes]], static: bool) -> list[tuple[bytes, bytes]]:
        """The answer's headers with the security headers set (replacing any of the same
        name); a static file keeps its own Cache-Control, or is cached a day."""
        cache = None
        kept = []
        for name, value in given:
            lowered = name.lower()
            if lowered == b"cache-control":
                cache = value
            elif lowered not in self.names:
                kept.append((name, value))
        kept.extend(self.fixed)
        if static:
            kept.append((b"cache-control", cache or b"public, max-age=86400"))
        else:
            kept.append((b"cache-control", b"no-store"))
        return kept


class LocaleMiddleware:
    """Chooses French or English for the request: the cookie, else the browser, else French."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie_header = accept_language = None
        for name, value in scope["headers"]:  # the first of each, as Headers.get reads them
            if name == b"cookie" and cookie_header is None:
                cookie_header = value.decode("latin-1")
            elif name == b"accept-language" and accept_language is None:
                accept_language = value.decode("latin-1")
        locale = _chosen(cookie_header) or _negotiated(accept_language)
        scope.setdefault("state", {})["locale"] = locale
        set_locale(locale)
        await self.app(scope, receive, send)


def _chosen(cookie_header: str | None) -> str:
    """The language the visitor chose (its cookie), or "" when none is known."""
    if not cookie_header or LANG_COOKIE not in cookie_header:
        return ""
    cookie = SimpleCookie(cookie_header)
    chosen = next((cookie[name].value for name in LANG_COOKIES if name in cookie), "")
    return chosen if chosen in LOCALES else ""


@lru_cache(maxsize=256)
def _negotiated(accept_language: str | None) -> str:
    # Browsers send a handful of distinct headers: each is read once.
    return negotiate(accept_language)


class SessionCookieMiddleware:
    """Writes the session cookie a route asked for (a new session, a rotation, a sign-out)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                for header in state.get("set_cookies", ()):
                    MutableHeaders(scope=message).append("Set-Cookie", header)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class OriginCheck:
    """Refuses state-changing requests sent from another site (Sec-Fetch-Site, Origin)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.allowed = {_origin_of(settings.base_url)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        site = headers.get("sec-fetch-site")
        origin = headers.get("origin")
        own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()
        # Browsers send Sec-Fetch-Site; it decides when present. With Referrer-Policy
        # no-referrer, a same-origin form POST carries "Origin: null", so only a named
        # foreign origin is refused; the CSRF token still guards every form.
        if site is not None:
            refused = site not in {"same-origin", "none"}
        else:
            refused = origin not in (None, "null") and origin.lower() not in self.allowed | {own}
        if refused:
            logger.warning("refused cross-site %s request", scope["method"])
            await _plain_error(send, 403, "Requête refusée : elle ne vient pas de ce site.")
            return
        await self.app(scope, receive, send)


class BodyLimit:
    """Answers 413 to request bodies over the limit, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _plain_error(send, 413, "Les données envoyées sont trop volumineuses.")
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLargeError:
            if not started:
                await _plain_error(send, 413, "Les données envoyées sont trop volumineuses.")


class _BodyTooLargeError(Exception):
    pass


class AccessLog:
    """One line per request: method, route template, status, duration; no path, no address."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or _unrouted(scope)
            logger.info(
                "%s %s %s %.1fms",
                scope["method"],
                template,
                status,
                (time.perf_counter() - started) * 1000,
            )


def _unrouted(scope: Scope) -> str:
    """What the access log names a request answered outside the API routes: the health checks
    (plain routes on the event loop), static files, or nothing known."""
    path = scope["path"]
    if path in PLAIN_ROUTES:
        return str(path)
    return "/static/*" if path.startswith("/static/") else "(unmatched)"


async def _plain_error(send: Send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
