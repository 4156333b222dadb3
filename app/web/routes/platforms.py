"""The catalogue as pages: every platform, and what Reprise knows of each one."""

from __future__ import annotations

from functools import lru_cache

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from app.catalogue.labels import (
    ADDRESSEE_LABELS,
    CATEGORY_LABELS,
    KIND_LABELS,
    KIND_SHORT,
    QUALITY_LABELS,
)
from app.catalogue.loader import get_catalogue
from app.catalogue.schema import CATEGORIES, Platform, country_name
from app.catalogue.search import search_platforms
from app.catalogue.suggestions import KIND_LABELS as SUGGESTION_KINDS
from app.catalogue.suggestions import read_suggestion, record_suggestion
from app.db import SessionDep
from app.errors import NotFound
from app.i18n import get_locale, use_locale
from app.i18n import gettext as _
from app.routing import Router
from app.templating import get_environment
from app.web.deps import WebSessionDep, csrf_protect
from app.web.pages import redirect, render_page
from app.web.routes.observatory import platform_board

router = Router(dependencies=[Depends(csrf_protect)])


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
        # The whole catalogue, the same for everyone until the next deployment.
        cache_key=None if query else str(id(catalogue)),
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
def show_platform(
    request: Request, slug: str, session: WebSessionDep, db: SessionDep, merci: str | None = None
) -> HTMLResponse:
    notice = _("Merci : votre proposition sera vérifiée avant d'entrer dans le catalogue.")
    return _detail(request, db, _platform(slug), notice=notice if merci is not None else "")


@router.post("/plateformes/{slug}/suggestion", response_class=HTMLResponse)
async def suggest_address(
    request: Request, slug: str, db: SessionDep, session: WebSessionDep
) -> Response:
    """An address the person knows for this organisation, kept for the maintainers to check."""
    platform = _platform(slug)
    form = await request.form()
    values = {name: str(form.get(name) or "")[:1000] for name in ("kind", "value", "source_url")}
    suggestion, errors = read_suggestion(values)
    if suggestion is None:
        return _detail(request, db, platform, errors=errors, values=values, status=422)
    record_suggestion(db, platform.slug, suggestion)
    return redirect(f"/plateformes/{platform.slug}?merci=1#suggestion")


def _platform(slug: str) -> Platform:
    platform = get_catalogue().get(slug)
    if platform is None:
        raise NotFound(_("Cette plateforme n'est pas dans le catalogue."))
    return platform


def _detail(
    request: Request,
    db: SessionDep,
    platform: Platform,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> HTMLResponse:
    catalogue = get_catalogue()
    related = [catalogue.get(other) for other in platform.related]
    return render_page(
        request,
        "platforms/detail.html",
        {
            "platform": platform,
            "related": [item for item in related if item is not None],
            "kind_labels": KIND_LABELS,
            "kind_short": KIND_SHORT,
            "addressee_labels": ADDRESSEE_LABELS,
            "category_labels": CATEGORY_LABELS,
            "quality_label": QUALITY_LABELS[platform.quality],
            "country": lambda code: country_name(code, get_locale()),
            "suggestion_kinds": SUGGESTION_KINDS,
            "errors": errors or {},
            "values": values or {},
            "notice": notice,
            "observatory": platform_board(db, platform.slug),
        },
        status=status,
    )
