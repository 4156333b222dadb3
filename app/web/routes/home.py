"""Home page, language choice, health checks."""

from __future__ import annotations

import asyncio

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy import text

from app.config import get_settings
from app.cookies import cookie_header, lang_cookie_name, queue_cookie
from app.db import get_engine
from app.i18n import LOCALES
from app.routing import Router
from app.web.pages import render_page, safe_next

router = Router()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render_page(
        request,
        "home/index.html",
        {"draft_hours": get_settings().draft_ttl_hours},
        cache_key="",
    )


@router.get("/accessibilite", response_class=HTMLResponse)
def accessibility(request: Request) -> HTMLResponse:
    """The accessibility statement, as French public-service sites publish it (RGAA)."""
    return render_page(
        request, "home/accessibility.html", {"base_url": get_settings().base_url}, cache_key=""
    )


@router.get("/mentions-legales", response_class=HTMLResponse)
def legal_notice(request: Request) -> HTMLResponse:
    """Who publishes and hosts this service: the operator fills in what Reprise cannot know."""
    return render_page(
        request, "home/legal.html", {"base_url": get_settings().base_url}, cache_key=""
    )


@router.get("/langue/{locale}")
def choose_language(request: Request, locale: str, next: str | None = None) -> RedirectResponse:
    """Remember the interface language (a preference cookie only), then go back."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if locale in LOCALES:
        queue_cookie(request, cookie_header(lang_cookie_name(), locale, 60 * 60 * 24 * 365))
    return response


async def healthz(request: Request) -> JSONResponse:
    """The process answers (no database involved)."""
    return JSONResponse({"status": "ok"})


def _database_answers() -> bool:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


async def readyz(request: Request) -> JSONResponse:
    """The database answers."""
    if not await asyncio.to_thread(_database_answers):
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "up"})


# Plain routes on the event loop, outside the access gate's worker threads: the health checks
# never wait behind requests that render letters (they hold no session and read no cookie).
router.add_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
router.add_route("/readyz", readyz, methods=["GET"], include_in_schema=False)
