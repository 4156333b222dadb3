"""The catalogue as pages: every platform, and what Reprise knows of each one."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from app.catalogue.labels import CATEGORY_LABELS, KIND_LABELS, KIND_SHORT, QUALITY_LABELS
from app.catalogue.loader import get_catalogue
from app.catalogue.schema import CATEGORIES, country_name
from app.catalogue.search import search_platforms
from app.db import SessionDep
from app.errors import NotFound
from app.i18n import get_locale
from app.i18n import gettext as _
from app.web.deps import WebSessionDep, csrf_protect
from app.web.pages import render_page
from app.web.routes.observatory import platform_board

router = APIRouter(dependencies=[Depends(csrf_protect)])


@router.get("/plateformes", response_class=HTMLResponse)
def list_platforms(request: Request, q: str = "") -> HTMLResponse:
    catalogue = get_catalogue()
    query = q.strip()[:100]
    groups = [
        (category, catalogue.in_category(category))
        for category in CATEGORIES
        if catalogue.in_category(category)
    ]
    return render_page(
        request,
        "platforms/list.html",
        {
            "query": query,
            "results": search_platforms(catalogue, query) if query else [],
            "groups": [] if query else groups,
            "category_labels": CATEGORY_LABELS,
            "total": len(catalogue),
        },
    )


@router.get("/plateformes/{slug}", response_class=HTMLResponse)
def show_platform(
    request: Request, slug: str, session: WebSessionDep, db: SessionDep
) -> HTMLResponse:
    catalogue = get_catalogue()
    platform = catalogue.get(slug)
    if platform is None:
        raise NotFound(_("Cette plateforme n'est pas dans le catalogue."))
    related = [catalogue.get(other) for other in platform.related]
    return render_page(
        request,
        "platforms/detail.html",
        {
            "platform": platform,
            "related": [item for item in related if item is not None],
            "kind_labels": KIND_LABELS,
            "kind_short": KIND_SHORT,
            "category_labels": CATEGORY_LABELS,
            "quality_label": QUALITY_LABELS[platform.quality],
            "country": lambda code: country_name(code, get_locale()),
            "observatory": platform_board(db, slug),
        },
    )
