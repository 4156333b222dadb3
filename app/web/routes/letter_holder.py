"""The wizard's first step: the holder of the data, from the catalogue or typed in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.catalogue.loader import get_catalogue
from app.catalogue.search import search_platforms
from app.db import SessionDep
from app.errors import NotFound
from app.i18n import gettext as _
from app.letters.drafts import load_draft, update_draft
from app.letters.holders import holder_from_organisation
from app.letters.wizard import progress
from app.routing import Router
from app.web.deps import WebSessionDep, csrf_protect
from app.web.identity_form import countries
from app.web.organisation_form import WIZARD_FIELDS, wizard_organisation
from app.web.pages import redirect, render_page

router = Router(dependencies=[Depends(csrf_protect)])


MAX_RESULTS = 40


@router.get("/lettres", response_class=HTMLResponse)
def choose_holder(
    request: Request, db: SessionDep, session: WebSessionDep, q: str = ""
) -> HTMLResponse:
    draft = load_draft(db, session)
    query = q.strip()[:100]
    results = search_platforms(get_catalogue(), query)[:MAX_RESULTS] if query else []
    return render_page(
        request,
        "letters/platform.html",
        {
            "query": query,
            "results": results,
            "everything": get_catalogue().platforms if not query else (),
            "chosen": draft.get("platform"),
            "step": progress(draft, "platform"),
        },
    )


@router.post("/lettres/plateforme")
def set_holder(
    db: SessionDep, session: WebSessionDep, slug: Annotated[str, Form(max_length=80)]
) -> RedirectResponse:
    platform = get_catalogue().get(slug)
    if platform is None:
        raise NotFound(_("Cette plateforme n'est pas dans le catalogue."))
    update_draft(
        db,
        session,
        platform=platform.slug,
        organisation=None,
        kind=platform.recommended_right,
        kind_chosen=False,
        options={},
        pages_done=[],
    )
    return redirect("/lettres/demande")


def _organisation_page(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    return render_page(
        request,
        "letters/organisation.html",
        {"values": values, "errors": errors, "countries": countries()},
        status=status,
    )


@router.get("/lettres/organisme", response_class=HTMLResponse)
def organisation_form(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    draft = load_draft(db, session)
    stored = draft.get("organisation") or {}
    lines = [*(stored.get("address_lines") or []), "", "", ""]
    public = stored.get("public")
    values = {
        "name": stored.get("name") or "",
        "line1": lines[0],
        "line2": lines[1],
        "line3": lines[2],
        "country": stored.get("country") or "FR",
        "email": stored.get("email") or "",
        "web_form": stored.get("web_form") or "",
        "category": stored.get("category") or "other",
        "public": "" if public is None else ("yes" if public else "no"),
    }
    return _organisation_page(request, values, {})


@router.post("/lettres/organisme", response_class=HTMLResponse)
async def submit_organisation(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name in WIZARD_FIELDS}
    organisation, errors = wizard_organisation(values)
    if organisation is None:
        return _organisation_page(request, values, errors, status=422)
    raw = organisation.as_selection()
    holder = holder_from_organisation(raw)
    update_draft(
        db,
        session,
        platform=None,
        organisation=raw,
        kind=holder.recommended_right,
        kind_chosen=False,
        options={},
        pages_done=[],
    )
    return redirect("/lettres/demande")
