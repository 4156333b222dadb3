"""The catalogue as pages: every platform, and what Reprise knows of each one."""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from app.catalogue.labels import CATEGORY_LABELS, KIND_LABELS, KIND_SHORT, QUALITY_LABELS
from app.catalogue.loader import get_catalogue
from app.catalogue.schema import CATEGORIES, country_name
from app.catalogue.search import search_platforms
from app.errors import NotFound
from app.i18n import get_locale, use_locale
from app.i18n import gettext as _
from app.templating import get_environment
from app.web.deps import WebSessionDep, csrf_protect
from app.web.pages import render_page

router = APIRouter(dependencies=[Depends(csrf_protect)])


@router.get("/plateformes", response_class=HTMLResponse)
def list_platforms(request: Request, q: str = "") -> HTMLResponse:
    catalogue = get_catalogue()
    query = q.strip()[:100]
    return render_page(
        request,
        "platforms/list.html",
        {
            "query": query,
            "results": search_platforms(catalogue, query) if query else [],
            "groups_html": "" if query else catalogue_html(get_locale(), id(catalogue)),
            "total": len(catalogue),
        },
    )


@lru_cache(maxsize=8)
def catalogue_html(locale: str, catalogue_id: int) -> Markup:
    """Every platform by category, rendered once per language: the catalogue changes only
    with a deployment (`catalogue_id` keeps a reloaded catalogue from an old rendering)."""
    catalogue = get_catalogue()
    groups = [
        (category, catalogue.in_category(category))
        for category in CATEGORIES
        if catalogue.in_category(category)
    ]
    with use_locale(locale):
        html = (
            get_environment()
            .get_template("platforms/_groups.html")
            .render(groups=groups, category_labels=CATEGORY_LABELS)
        )
    return Markup(html)  # noqa: S704  (rendered by the autoescaping environment)


@router.get("/plateformes/{slug}", response_class=HTMLResponse)
def show_platform(request: Request, slug: str, session: WebSessionDep) -> HTMLResponse:
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
        },
    )
