"""The letter wizard: choose a platform, say who you are, check the letter, download it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.catalogue.loader import get_catalogue
from app.catalogue.schema import Platform
from app.catalogue.search import search_platforms
from app.clock import today as clock_today
from app.db import SessionDep
from app.errors import NotFound
from app.i18n import gettext as _
from app.letters.compose import recipient_from_platform
from app.letters.document import Letter
from app.letters.drafts import load_draft, update_draft
from app.letters.identity import Identity
from app.letters.render import letter_pdf
from app.letters.service import make_letter, parse_options
from app.letters.wizard import first_incomplete, progress, reachable
from app.web.deps import OptionalWebSession, WebSessionDep, csrf_protect
from app.web.identity_form import FIELDS, countries, form_from_identity, identity_from_form
from app.web.pages import redirect, render_page

router = APIRouter(dependencies=[Depends(csrf_protect)])

MAX_RESULTS = 40


def _platform(draft: dict[str, Any]) -> Platform:
    platform = get_catalogue().get(draft.get("platform") or "")
    if platform is None:
        raise NotFound(_("Cette plateforme n'est pas dans le catalogue."))
    return platform


def _letter(draft: dict[str, Any], today: date | None = None) -> Letter:
    platform = _platform(draft)
    kind = draft.get("kind", "erasure")
    return make_letter(
        kind,
        Identity.model_validate(draft["identity"]),
        recipient_from_platform(platform),
        parse_options(kind, draft.get("options")),
        today or clock_today(),
    )


def _go_to_current_step(draft: dict[str, Any]) -> RedirectResponse:
    return redirect(first_incomplete(draft).path)


@router.get("/lettres", response_class=HTMLResponse)
def choose_platform(
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
def set_platform(
    db: SessionDep, session: WebSessionDep, slug: Annotated[str, Form(max_length=80)]
) -> RedirectResponse:
    platform = get_catalogue().get(slug)
    if platform is None:
        raise NotFound(_("Cette plateforme n'est pas dans le catalogue."))
    update_draft(db, session, platform=platform.slug, kind="erasure")
    return redirect("/lettres/identite")


def _identity_page(
    request: Request,
    draft: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    platform = _platform(draft)
    return render_page(
        request,
        "letters/identity.html",
        {
            "platform": platform,
            "values": values,
            "errors": errors,
            "countries": countries(),
            "step": progress(draft, "identity"),
        },
        status=status,
    )


@router.get("/lettres/identite", response_class=HTMLResponse)
def identity_form(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "identity"):
        return _go_to_current_step(draft)
    return _identity_page(request, draft, form_from_identity(draft.get("identity")), {})


@router.post("/lettres/identite", response_class=HTMLResponse)
async def submit_identity(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "identity"):
        return _go_to_current_step(draft)
    form = await request.form()
    platform = _platform(draft)
    names = list(FIELDS) + [f"identifier_{i}" for i in range(len(platform.identifiers))]
    values = {name: str(form.get(name) or "") for name in names}
    identity, errors = identity_from_form(values, platform.identifiers)
    if identity is None:
        return _identity_page(request, draft, values, errors, status=422)
    update_draft(db, session, identity=identity.model_dump(mode="json"))
    return redirect("/lettres/apercu")


@router.get("/lettres/apercu", response_class=HTMLResponse)
def preview(request: Request, db: SessionDep, session: OptionalWebSession) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "preview"):
        return _go_to_current_step(draft)
    platform = _platform(draft)
    return render_page(
        request,
        "letters/preview.html",
        {
            "platform": platform,
            "letter": _letter(draft),
            "step": progress(draft, "preview"),
        },
    )


@router.get("/lettres/lettre.pdf")
def download_pdf(db: SessionDep, session: OptionalWebSession) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "preview"):
        return _go_to_current_step(draft)
    letter = _letter(draft)
    return Response(
        letter_pdf(letter),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{letter.file_stem}.pdf"'},
    )
