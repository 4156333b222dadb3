"""Mandates: the mandate form (with the organisations it names), signature, revocation, PDF."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.catalogue.establishments import current_import, get_establishment, search_establishments
from app.clock import today
from app.db import SessionDep
from app.errors import Invalid, NotFound
from app.grants import AdminMemberFile, MemberFile
from app.i18n import gettext as _
from app.letters.render import letter_pdf
from app.models.organisation import Mandate
from app.organisations import service
from app.organisations.documents import (
    MEMBER_ADDRESS_FIELDS,
    mandate_letter,
    member_address_values,
    member_identity_with_address,
)
from app.patients import files as patient_files
from app.routing import Router
from app.web.date_form import date_values, field_names, read_date
from app.web.deps import csrf_protect
from app.web.organisation_form import organisation_from_form
from app.web.pages import redirect
from app.web.routes.association.members import member_page

router = Router(prefix="/association", dependencies=[Depends(csrf_protect)])
Text = Annotated[str, Form(max_length=300)]


def _mandate_dates(
    form: Mapping[str, Any], errors: dict[str, str]
) -> tuple[date | None, date | None, date | None]:
    """The mandate's start, end and signature dates as typed; messages in `errors`."""
    starts = read_date(form, "starts_on", errors, label=_("Début du mandat"))
    ends = read_date(form, "ends_on", errors, label=_("Fin du mandat"))
    signed = read_date(
        form, "signed_on", errors, label=_("Date de signature"), required=False, latest=today()
    )
    return starts, ends, signed


TYPED_ROWS = 3  # organisations typed by hand in one mandate form
TYPED_FIELDS = ("name", "line1", "line2", "postal_code", "town", "finess", "siren")


def _organisation_context(
    db: SessionDep, nom: str = "", ville: str = "", chosen: list[str] | None = None
) -> dict[str, Any]:
    """The mandate form's organisations: the FINESS search and its results (the establishments
    already ticked first), and the rows to type an organisation by hand."""
    nom, ville = nom.strip()[:100], ville.strip()[:80]
    found = search_establishments(db, nom, ville) if (nom or ville) else None
    ticked = [row for row in (get_establishment(db, n) for n in chosen or []) if row is not None]
    numbers = {row.finess for row in ticked}
    results = [row for row in (found.establishments if found else []) if row.finess not in numbers]
    return {
        "nom": nom,
        "ville": ville,
        "searched": found is not None,
        "imported": found.imported if found else current_import(db) is not None,
        "establishments": ticked + results,
        "typed_rows": range(TYPED_ROWS),
    }


@router.get("/membres/{file_id}/mandats/nouveau", response_class=HTMLResponse)
def new_mandate_form(
    request: Request,
    db: SessionDep,
    member: MemberFile,
    file_id: uuid.UUID,
    nom: str = "",
    ville: str = "",
) -> HTMLResponse:
    previous = service.file_mandates(db, member.file)
    agent_address = service.mandate_scope(previous[-1]).agent_address if previous else []
    values = {
        **member_address_values(member.file),
        **date_values("starts_on", today()),
        "agent_address": "\n".join(agent_address),
    }
    return member_page(
        request,
        "association/new_mandate.html",
        db,
        member,
        values=values,
        extra=_organisation_context(db, nom, ville),
    )


@router.post("/membres/{file_id}/mandats")
async def new_mandate(
    request: Request, db: SessionDep, member: MemberFile, file_id: uuid.UUID
) -> Response:
    form = await request.form()
    finess = [str(v)[:12] for v in form.getlist("finess")][:20]
    typed_values = {
        f"org-{row}-{name}": str(form.get(f"org-{row}-{name}") or "")[:300]
        for row in range(TYPED_ROWS)
        for name in TYPED_FIELDS
    }
    raw: dict[str, Any] = {
        "rights": [str(v) for v in form.getlist("rights")][:10],
        "platforms": [str(v) for v in form.getlist("platforms")][:50],
        "data": str(form.get("data") or "")[:600],
        "answers_to": str(form.get("answers_to") or "member"),
    }
    date_parts = {
        part: str(form.get(part) or "")[:10]
        for name in ("starts_on", "ends_on", "signed_on")
        for part in field_names(name)
    }
    date_errors: dict[str, str] = {}
    starts, ends, signed = _mandate_dates(date_parts, date_errors)
    raw["starts_on"] = starts.isoformat() if starts else ""
    raw["ends_on"] = ends.isoformat() if ends else ""
    agent_address = str(form.get("agent_address") or "")[:400]
    raw["agent_address"] = [line.strip() for line in agent_address.splitlines() if line.strip()]
    member_values = {name: str(form.get(name) or "")[:120] for name in MEMBER_ADDRESS_FIELDS}
    values = {
        **raw,
        **date_parts,
        **member_values,
        "agent_address": agent_address,
        "agent": str(form.get("agent") or "")[:40],
        "finess": finess,
        **typed_values,
    }
    extra = _organisation_context(db, chosen=finess)
    try:
        errors: dict[str, str] = {}
        typed = []
        for row in range(TYPED_ROWS):
            organisation, row_errors = organisation_from_form(typed_values, f"org-{row}-")
            errors.update(row_errors)
            typed += [organisation] if organisation is not None else []
        try:
            raw["organisations"] = service.mandate_organisations(db, finess, typed)
        except Invalid as exc:
            errors.update(exc.errors)
        try:
            member_identity = member_identity_with_address(member.file, member_values)
        except Invalid as exc:
            errors.update(exc.errors)
        try:
            scope = service.parse_scope(raw)
        except Invalid as exc:
            scope_errors = dict(exc.errors)
            if errors and not raw["platforms"]:
                scope_errors.pop("platforms", None)  # organisations named, but wrongly typed
            raise Invalid({**scope_errors, **errors, **date_errors}) from exc
        if errors or date_errors:
            raise Invalid({**errors, **date_errors})
        agent_raw = str(form.get("agent") or "")
        try:
            agent = uuid.UUID(agent_raw) if agent_raw else None
        except ValueError as exc:
            raise Invalid({"agent": _("Choisissez une personne de l'association.")}) from exc
        service.create_mandate(db, member.actor, member.file, scope, agent, signed)
        if member_identity is not None:
            patient_files.set_identity(db, member.file, member_identity)
    except Invalid as exc:
        return member_page(
            request, "association/new_mandate.html", db, member, exc.errors, values, 422, extra
        )
    return redirect(f"/association/membres/{member.file.id}")


@router.post("/membres/{file_id}/mandats/{mandate_id}/signature")
def sign(
    request: Request,
    db: SessionDep,
    member: AdminMemberFile,
    file_id: uuid.UUID,
    mandate_id: uuid.UUID,
    signed_on_day: Text = "",
    signed_on_month: Text = "",
    signed_on_year: Text = "",
) -> Response:
    errors: dict[str, str] = {}
    typed = {
        "signed_on_day": signed_on_day,
        "signed_on_month": signed_on_month,
        "signed_on_year": signed_on_year,
    }
    signed = read_date(typed, "signed_on", errors, label=_("Date de signature"), latest=today())
    if signed is None:
        # Each unsigned mandate has its own date field: the message goes next to this one's.
        key = f"signed_on-{mandate_id}"
        extra = {"signature_for": str(mandate_id), "signature_typed": typed}
        errors = {key: errors["signed_on"]}
        return member_page(
            request, "association/member.html", db, member, errors, status=422, extra=extra
        )
    service.record_signature(db, member.actor, member.file, mandate_id, signed)
    return redirect(f"/association/membres/{member.file.id}")


@router.post("/membres/{file_id}/mandats/{mandate_id}/revoquer")
def revoke(
    db: SessionDep, member: AdminMemberFile, file_id: uuid.UUID, mandate_id: uuid.UUID
) -> Response:
    service.revoke_mandate(db, member.actor, member.file, mandate_id)
    return redirect(f"/association/membres/{member.file.id}")


@router.get("/membres/{file_id}/mandats/{mandate_id}/mandat.pdf")
def mandate_pdf(
    db: SessionDep, member: MemberFile, file_id: uuid.UUID, mandate_id: uuid.UUID
) -> Response:
    """The mandate document, to print and have the member sign."""
    mandate = db.get(Mandate, mandate_id)
    if mandate is None or mandate.file_id != member.file.id:
        raise NotFound()
    letter = mandate_letter(db, member.file, mandate)
    return Response(
        letter_pdf(letter),
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="reprise-mandat.pdf"'},
    )
