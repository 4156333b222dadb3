"""Home page, language choice, health checks."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy import text

from app.config import get_settings
from app.db import SessionDep
from app.i18n import LOCALES
from app.web.cookies import cookie_header, lang_cookie_name, queue_cookie
from app.web.pages import render_page, safe_next

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render_page(request, "home/index.html", {"draft_hours": get_settings().draft_ttl_hours})


@router.get("/accessibilite", response_class=HTMLResponse)
def accessibility(request: Request) -> HTMLResponse:
    """The accessibility statement, as French public-service sites publish it (RGAA)."""
    return render_page(request, "home/accessibility.html", {"base_url": get_settings().base_url})


@router.get("/mentions-legales", response_class=HTMLResponse)
def legal_notice(request: Request) -> HTMLResponse:
    """Who publishes and hosts this service: the operator fills in what Reprise cannot know."""
    return render_page(request, "home/legal.html", {"base_url": get_settings().base_url})


@router.get("/langue/{locale}")
def choose_language(request: Request, locale: str, next: str | None = None) -> RedirectResponse:
    """Remember the interface language (a preference cookie only), then go back."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if locale in LOCALES:
        queue_cookie(request, cookie_header(lang_cookie_name(), locale, 60 * 60 * 24 * 365))
    return response


@router.get("/healthz")
def healthz() -> JSONResponse:
    """The process answers (no database involved)."""
    return JSONResponse({"status": "ok"})


@router.get("/readyz")
def readyz(db: SessionDep) -> JSONResponse:
    """The database answers."""
    try:
        db.exec(text("SELECT 1"))  # type: ignore[call-overload]
    except Exception:
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "up"})
