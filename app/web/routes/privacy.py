"""The privacy page: what Reprise stores, why, for how long, where it is hosted."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from app.accounts.sessions import ABSOLUTE_LIFETIME
from app.config import get_settings
from app.routing import Router
from app.web.pages import render_page

router = Router()


@router.get("/confidentialite", response_class=HTMLResponse)
def privacy(request: Request) -> HTMLResponse:
    settings = get_settings()
    return render_page(
        request,
        "privacy/index.html",
        {
            "settings": settings,
            "session_days": ABSOLUTE_LIFETIME.days,
            "inactive_years": round(settings.inactive_account_days / 365, 1),
        },
        cache_key="",
    )
