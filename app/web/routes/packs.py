"""Packs: review the letters chosen during discovery, give your details once, download them all."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.catalogue.checklist import organisation_rights
from app.catalogue.labels import KIND_CHOICES
from app.catalogue.loader import get_catalogue
from app.clock import now, today
from app.db import SessionDep
from app.i18n import N_, ngettext
from app.i18n import gettext as _
from app.letters.address_sources import address_source
from app.letters.document import Letter
from app.letters.drafts import load_draft, update_draft
from app.letters.identity import Identity
from app.letters.kinds import KIND_INFO
from app.letters.pack_jobs import (
    MEDIA_TYPES,
    QUEUED,
    RUNNING,
    find_pack,
    in_background,
    pack_result,
    progress,
    queue_pack,
)
from app.letters.packs import (
    PackItem,
    addresses_missing,
    build_letters,
    checklist,
    pack_file,
    parse_items,
)
from app.letters.quotas import charge_renders
from app.models.session import WebSession
from app.routing import Router
from app.web.deps import OptionalWebSession, WebSessionDep, csrf_protect
from app.web.identity_form import FIELDS, countries, form_from_identity, identity_from_form
from app.web.pages import redirect, render_page
from app.web.session_cookies import client_address

router = Router(dependencies=[Depends(csrf_protect)])
REFRESH_SECONDS = 3


def _items(draft: dict[str, Any]) -> list[PackItem]:
    return parse_items(list(draft.get("selection") or []))


def _describe(item: PackItem) -> dict[str, Any]:
    """What the review page shows for one item: its name and the first requests it may take,
    in the checklist's words."""
    if item.organisation is not None:
        name = item.organisation.name
        offered = list(organisation_rights(item.organisation.category))
    else:
        platform = get_catalogue().get(item.platform or "")
        name = platform.name if platform else (item.platform or "")
        offered = platform.relevant_rights if platform else list(KIND_CHOICES)
    if item.kind in KIND_CHOICES and item.kind not in offered:
        offered = [item.kind, *offered]
    return {
        "name": name,
        "kind": item.kind,
        "kinds": [(kind, _(KIND_CHOICES[kind])) for kind in offered if kind in KIND_CHOICES],
    }


@router.get("/lettres/lot", response_class=HTMLResponse)
def review(request: Request, db: SessionDep, session: WebSessionDep) -> HTMLResponse:
    draft = load_draft(db, session)
    items = _items(draft)
    return render_page(
        request,
        "letters/pack.html",
        {
            "items": [_describe(item) for item in items],
            "has_identity": bool(draft.get("identity")),
        },
    )


# Where each button of the review form leads, once the choices are kept.
NEXT_PAGES = {"apercu": "/lettres/lot/apercu", "identite": "/lettres/lot/identite"}


@router.post("/lettres/lot")
async def keep_choices(
    request: Request,
    db: SessionDep,
    session: WebSessionDep,
    suite: Annotated[str, Form(max_length=20)],
) -> Response:
    """Keep every letter's chosen request, then go on (or take one letter out)."""
    form = await request.form()
    draft = load_draft(db, session)
    selection = list(draft.get("selection") or [])
    for position, item in enumerate(_items(draft)[: len(selection)]):
        kind = str(form.get(f"kind-{position}") or "")
        if kind != item.kind and kind in dict(_describe(item)["kinds"]):
            selection[position] = {**selection[position], "kind": kind, "options": {}}
    removed = suite.removeprefix("retirer-")
    if removed.isdigit() and int(removed) < len(selection):
        del selection[int(removed)]
    update_draft(db, session, selection=selection)
    return redirect(NEXT_PAGES.get(suite, "/lettres/lot"))


def _index(draft: dict[str, Any], index: int) -> int | None:
    selection = draft.get("selection") or []
    return index if 0 <= index < len(selection) else None


@router.post("/lettres/lot/modifier")
def change_kind(
    db: SessionDep,
    session: WebSessionDep,
    index: Annotated[int, Form(ge=0, le=1000)],
    kind: Annotated[str, Form(max_length=40)],
) -> Response:
    draft = load_draft(db, session)
    position = _index(draft, index)
    if position is not None and kind in KIND_INFO:
        selection = list(draft["selection"])
        selection[position] = {**selection[position], "kind": kind, "options": {}}
        update_draft(db, session, selection=selection)
    return redirect("/lettres/lot")


@router.post("/lettres/lot/retirer")
def remove(
    db: SessionDep, session: WebSessionDep, index: Annotated[int, Form(ge=0, le=1000)]
) -> Response:
    draft = load_draft(db, session)
    position = _index(draft, index)
    if position is not None:
        selection = list(draft["selection"])
        del selection[position]
        update_draft(db, session, selection=selection)
    return redirect("/lettres/lot")


def _identity_page(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    return render_page(
        request,
        "letters/identity.html",
        {
            "platform": None,
            "identifiers": [],
            "action": "/lettres/lot/identite",
            "values": values,
            "errors": errors,
            "countries": countries(),
            "step": (2, 3),
        },
        status=status,
    )


@router.get("/lettres/lot/identite", response_class=HTMLResponse)
def identity_form(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    draft = load_draft(db, session)
    return _identity_page(request, form_from_identity(draft.get("identity")), {})


@router.post("/lettres/lot/identite", response_class=HTMLResponse)
async def submit_identity(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    form = await request.form()
    values = {name: str(form.get(name) or "") for name in FIELDS}
    identity, errors = identity_from_form(values, [])
    if identity is None:
        return _identity_page(request, values, errors, status=422)
    update_draft(db, session, identity=identity.model_dump(mode="json"))
    return redirect("/lettres/lot/apercu")


def _letters(draft: dict[str, Any]) -> tuple[list[Letter], Identity] | None:
    if not draft.get("identity") or not draft.get("selection"):
        return None
    identity = Identity.model_validate(draft["identity"])
    return build_letters(_items(draft), identity, today()), identity


def _preview_page(
    request: Request,
    draft: dict[str, Any],
    letters: list[Letter],
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    missing = addresses_missing(_items(draft), letters)
    return render_page(
        request,
        "letters/pack_preview.html",
        {
            "letters": letters,
            "entries": checklist(letters),
            "step": (3, 3),
            "background": in_background(len(letters)),
            "missing": [
                (index, letters[index], address_source(letters[index].recipient))
                for index in missing
            ],
            "address_errors": errors or {},
            "address_values": values or {},
            "errors": errors or {},
        },
        status=422 if errors else 200,
    )


@router.get("/lettres/lot/apercu", response_class=HTMLResponse)
def preview(request: Request, db: SessionDep, session: OptionalWebSession) -> Response:
    draft = load_draft(db, session)
    made = _letters(draft)
    if made is None:
        return redirect("/lettres/lot")
    return _preview_page(request, draft, made[0])


@router.post("/lettres/lot/adresse", response_class=HTMLResponse)
async def set_address(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    """The postal address the person found for one letter of the pack Reprise knows no way to
    send, or their choice to write it by hand on the printed letter."""
    draft = load_draft(db, session)
    made = _letters(draft)
    if made is None:
        return redirect("/lettres/lot")
    form = await request.form()
    raw = str(form.get("index") or "")
    position = _index(draft, int(raw)) if raw.isdigit() and len(raw) < 5 else None
    if position is None:
        return _preview_page(request, draft, made[0], {"index": _("Cette lettre n'existe pas.")})
    selection = list(draft["selection"])
    if form.get("by_hand") == "yes":
        selection[position] = {**selection[position], "address_by_hand": True, "address_found": []}
        update_draft(db, session, selection=selection)
        return redirect("/lettres/lot/apercu")
    values = {
        f"address_{position}_{line}": str(form.get(f"address_{position}_{line}") or "").strip()
        for line in range(1, 5)
    }
    lines = [value for value in values.values() if value]
    field = f"address_{position}_1"
    if len(lines) < 2:
        message = _(
            "Écrivez l'adresse sur deux lignes au moins : la rue, puis le code postal et la ville."
        )
        return _preview_page(request, draft, made[0], {field: message}, values)
    if any(len(line) > 120 for line in lines):
        message = _("Chaque ligne a 120 caractères au plus.")
        return _preview_page(request, draft, made[0], {field: message}, values)
    selection[position] = {**selection[position], "address_found": lines, "address_by_hand": False}
    update_draft(db, session, selection=selection)
    return redirect("/lettres/lot/apercu")


def _download(request: Request, db: SessionDep, session: WebSession | None, fmt: str) -> Response:
    """A few letters come at once; more are made in the background, with a progress page."""
    draft = load_draft(db, session)
    made = _letters(draft)
    if made is None or session is None:
        return redirect("/lettres/lot")
    letters, identity = made
    if addresses_missing(_items(draft), letters):
        return redirect("/lettres/lot/apercu#adresses")
    user = request.state.access.actor.user
    charge_renders(db, len(letters), client_address(request), user.id if user else None, now())
    if in_background(len(letters)):
        job = queue_pack(
            db, list(draft["selection"]), identity, fmt, day=today(), session_id=session.id
        )
        return redirect(f"/lettres/lot/travail/{job.id}")
    return Response(
        pack_file(letters, identity, fmt),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="reprise-lettres.{fmt}"'},
    )


@router.get("/lettres/lot.pdf")
def download_pdf(request: Request, db: SessionDep, session: OptionalWebSession) -> Response:
    return _download(request, db, session, "pdf")


@router.get("/lettres/lot.zip")
def download_zip(request: Request, db: SessionDep, session: OptionalWebSession) -> Response:
    return _download(request, db, session, "zip")


FAILURES = {
    "too-slow": N_(
        "Une des lettres a mis trop de temps à être produite. Raccourcissez les textes "
        "saisis, puis réessayez."
    ),
}
DOWNLOAD_LABELS = {
    "pdf": N_("Toutes les lettres en un PDF"),
    "zip": N_("Un fichier ZIP, un PDF par lettre"),
}


@router.get("/lettres/lot/travail/{job_id}", response_class=HTMLResponse)
def pack_progress(
    request: Request, db: SessionDep, session: OptionalWebSession, job_id: uuid.UUID
) -> Response:
    job = find_pack(db, job_id, session.id if session else uuid.UUID(int=0))
    waiting = job.state in {QUEUED, RUNNING}
    failure = FAILURES.get(
        job.error or "", N_("Vos lettres n'ont pas pu être fabriquées. Réessayez.")
    )
    return render_page(
        request,
        "letters/pack_job.html",
        {
            "title": _("Fabrication de vos lettres") if waiting else _("Vos lettres"),
            "job": progress(job),
            "job_id": job.id,
            "refresh": REFRESH_SECONDS if waiting else None,
            "failure": _(failure),
            "download_label": _(DOWNLOAD_LABELS[job.format]),
            "progress_text": ngettext(
                "%(num)s lettre prête sur %(total)s.",
                "%(num)s lettres prêtes sur %(total)s.",
                job.done,
                total=job.total,
            ),
        },
    )


@router.get("/lettres/lot/travail/{job_id}/fichier")
def pack_download(db: SessionDep, session: OptionalWebSession, job_id: uuid.UUID) -> Response:
    job = find_pack(db, job_id, session.id if session else uuid.UUID(int=0))
    return Response(
        pack_result(job),
        media_type=MEDIA_TYPES[job.format],
        headers={"Content-Disposition": f'attachment; filename="reprise-lettres.{job.format}"'},
    )
