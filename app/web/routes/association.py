"""Association pages: team, members' files, mandates, acting for a member."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts import users
from app.authorisation import AccessDep
from app.catalogue.establishments import current_import, get_establishment, search_establishments
from app.catalogue.loader import get_catalogue
from app.clock import today
from app.db import SessionDep
from app.errors import Invalid, NotFound
from app.i18n import gettext as _
from app.letters.addressees import Addressee, organisation_key
from app.letters.compose import Helper
from app.letters.render import letter_pdf
from app.letters.service import supported_kinds
from app.models.organisation import Association, Mandate
from app.organisations import invitations, service
from app.organisations.access import cover_for, mandate_in_force, mandate_scope
from app.organisations.documents import (
    MEMBER_ADDRESS_FIELDS,
    mandate_letter,
    member_address_values,
    member_identity_with_address,
    platform_groups,
)
from app.organisations.mandates import ANSWERS_TO, RIGHTS
from app.organisations.service import MandateView
from app.patients import files as patient_files
from app.web.deps import csrf_protect
from app.web.identity_form import FIELDS, countries, form_from_identity, identity_from_form
from app.web.pages import redirect, render_page
from app.web.routes.accounts import notice

router = APIRouter(prefix="/association", dependencies=[Depends(csrf_protect)])
Text = Annotated[str, Form(max_length=300)]
ORGANISATION_PREFIX = "organisme:"


def _parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise Invalid({field: _("Indiquez une date réelle, par exemple 2026-03-01.")}) from exc


@router.get("", response_class=HTMLResponse)
def dashboard(request: Request, db: SessionDep, access: AccessDep, fait: str = "") -> HTMLResponse:
    actor = access.actor
    if not actor.is_staff:
        return render_page(request, "association/create.html", {"values": {}})
    association = db.get(Association, actor.association_id)
    day = today()
    members = service.members(db, actor, day)
    return render_page(
        request,
        "association/dashboard.html",
        {
            "name": service.association_name(association) if association else "",
            "is_admin": actor.is_admin,
            "notice": notice(fait),
            "members": [
                (
                    file,
                    patient_files.display_name(file),
                    cover_for(db, actor, file, day) is not None,
                )
                for file in members
            ],
            "staff": [
                (role, users.name_of(user) or users.email_of(user), user.id == actor.user_id)
                for role, user in service.staff_list(db, actor.association_id)  # type: ignore[arg-type]
            ]
            if actor.is_admin
            else [],
        },
    )


@router.post("")
def create(
    request: Request, db: SessionDep, access: AccessDep, name: Text = "", your_name: Text = ""
) -> Response:
    try:
        service.create_association(db, access.actor, name)
    except Invalid as exc:
        return render_page(
            request,
            "association/create.html",
            {"values": {"name": name}, "errors": exc.errors},
            422,
        )
    if your_name.strip():
        users.set_name(access.user, your_name)
        db.add(access.user)
    return redirect("/association")


@router.post("/invitations")
def invite(db: SessionDep, access: AccessDep, email: Text = "", role: Text = "helper") -> Response:
    invitations.invite(db, access.actor, email, role if role in {"admin", "helper"} else "")
    return redirect("/association?fait=invitation")


@router.post("/equipe/{staff_id}/retirer")
def remove(db: SessionDep, access: AccessDep, staff_id: uuid.UUID) -> Response:
    service.remove_staff(db, access.actor, staff_id)
    return redirect("/association")


@router.get("/membres/nouveau", response_class=HTMLResponse)
def new_member_form(request: Request, access: AccessDep) -> HTMLResponse:
    return render_page(request, "association/new_member.html", {"values": {}})


@router.post("/membres")
def new_member(
    request: Request,
    db: SessionDep,
    access: AccessDep,
    given_name: Text = "",
    family_name: Text = "",
    consent: Text = "",
    consent_note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        file = service.create_member(
            db, access.actor, given_name, family_name, consent == "oui", consent_note
        )
    except Invalid as exc:
        return render_page(
            request,
            "association/new_member.html",
            {
                "values": {
                    "given_name": given_name,
                    "family_name": family_name,
                    "consent_note": consent_note,
                },
                "errors": exc.errors,
            },
            422,
        )
    return redirect(f"/association/membres/{file.id}")


def _mandate_views(db: SessionDep, mandates: list[Mandate]) -> list[MandateView]:
    from app.models.account import User

    views = []
    day = today()
    for mandate in mandates:
        agent = db.get(User, mandate.agent_user_id) if mandate.agent_user_id else None
        views.append(
            MandateView(
                mandate=mandate,
                scope=mandate_scope(mandate),
                agent=(users.name_of(agent) or users.email_of(agent)) if agent else "",
                in_force=mandate_in_force(mandate, day),
            )
        )
    return views


def _member_page(
    request: Request,
    template: str,
    db: SessionDep,
    access: AccessDep,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HTMLResponse:
    file = access.file
    assert file is not None
    day = today()
    return render_page(
        request,
        template,
        {
            "file": file,
            "name": patient_files.display_name(file),
            "mandates": _mandate_views(db, service.file_mandates(db, file)),
            "can_act": cover_for(db, access.actor, file, day) is not None,
            "has_account": file.user_id is not None,
            "rights": RIGHTS,
            "answers": ANSWERS_TO,
            "platform_groups": platform_groups(),
            "helpers": [
                (role.user_id, users.name_of(user) or users.email_of(user))
                for role, user in service.staff_list(db, file.association_id)  # type: ignore[arg-type]
            ],
            "me": access.actor.user_id,
            "is_admin": access.actor.is_admin,
            "today": day.isoformat(),
            "values": values or {},
            "errors": errors or {},
            **(extra or {}),
        },
        status,
    )


@router.get("/membres/{file_id}", response_class=HTMLResponse)
def member(request: Request, db: SessionDep, access: AccessDep, file_id: uuid.UUID) -> HTMLResponse:
    assert access.file is not None
    service.record_access(db, access.actor, access.file, "fiche.consultee")
    return _member_page(request, "association/member.html", db, access)


TYPED_ROWS = 3  # organisations typed by hand in one mandate form


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
    access: AccessDep,
    file_id: uuid.UUID,
    nom: str = "",
    ville: str = "",
) -> HTMLResponse:
    assert access.file is not None
    previous = service.file_mandates(db, access.file)
    agent_address = service.mandate_scope(previous[-1]).agent_address if previous else []
    values = {
        **member_address_values(access.file),
        "agent_address": "\n".join(agent_address),
    }
    return _member_page(
        request,
        "association/new_mandate.html",
        db,
        access,
        values=values,
        extra=_organisation_context(db, nom, ville),
    )


@router.post("/membres/{file_id}/mandats")
async def new_mandate(
    request: Request, db: SessionDep, access: AccessDep, file_id: uuid.UUID
) -> Response:
    assert access.file is not None
    form = await request.form()
    finess = [str(v)[:12] for v in form.getlist("finess")][:20]
    typed = [
        {name: str(form.get(f"org-{row}-{name}") or "")[:300] for name in service.TYPED_FIELDS}
        for row in range(TYPED_ROWS)
    ]
    raw: dict[str, Any] = {
        "rights": [str(v) for v in form.getlist("rights")][:10],
        "platforms": [str(v) for v in form.getlist("platforms")][:50],
        "data": str(form.get("data") or "")[:600],
        "answers_to": str(form.get("answers_to") or "member"),
        "starts_on": str(form.get("starts_on") or ""),
        "ends_on": str(form.get("ends_on") or ""),
    }
    agent_address = str(form.get("agent_address") or "")[:400]
    raw["agent_address"] = [line.strip() for line in agent_address.splitlines() if line.strip()]
    member_values = {name: str(form.get(name) or "")[:120] for name in MEMBER_ADDRESS_FIELDS}
    values = {
        **raw,
        **member_values,
        "agent_address": agent_address,
        "agent": str(form.get("agent") or "")[:40],
        "finess": finess,
        **{
            f"org-{row}-{name}": value
            for row, fields in enumerate(typed)
            for name, value in fields.items()
        },
    }
    extra = _organisation_context(db, chosen=finess)
    try:
        errors: dict[str, str] = {}
        try:
            raw["organisations"] = service.mandate_organisations(db, finess, typed)
        except Invalid as exc:
            errors.update(exc.errors)
        try:
            member_identity = member_identity_with_address(access.file, member_values)
        except Invalid as exc:
            errors.update(exc.errors)
        try:
            scope = service.parse_scope(raw)
        except Invalid as exc:
            scope_errors = dict(exc.errors)
            if errors and not raw["platforms"]:
                scope_errors.pop("platforms", None)  # organisations named, but wrongly typed
            raise Invalid({**scope_errors, **errors}) from exc
        if errors:
            raise Invalid(errors)
        agent_raw = str(form.get("agent") or "")
        try:
            agent = uuid.UUID(agent_raw) if agent_raw else None
        except ValueError as exc:
            raise Invalid({"agent": _("Choisissez une personne de l'association.")}) from exc
        signed_raw = str(form.get("signed_on") or "").strip()
        signed = _parse_date(signed_raw, "signed_on") if signed_raw else None
        service.create_mandate(db, access.actor, access.file, scope, agent, signed)
        if member_identity is not None:
            patient_files.set_identity(db, access.file, member_identity)
        service.record_access(db, access.actor, access.file, "mandat.cree")
    except Invalid as exc:
        return _member_page(
            request, "association/new_mandate.html", db, access, exc.errors, values, 422, extra
        )
    return redirect(f"/association/membres/{access.file.id}")


@router.post("/membres/{file_id}/mandats/{mandate_id}/signature")
def sign(
    db: SessionDep,
    access: AccessDep,
    file_id: uuid.UUID,
    mandate_id: uuid.UUID,
    signed_on: Text = "",
) -> Response:
    assert access.file is not None
    service.record_signature(
        db, access.actor, access.file, mandate_id, _parse_date(signed_on, "signed_on")
    )
    service.record_access(db, access.actor, access.file, "mandat.signe")
    return redirect(f"/association/membres/{access.file.id}")


@router.post("/membres/{file_id}/mandats/{mandate_id}/revoquer")
def revoke(
    db: SessionDep, access: AccessDep, file_id: uuid.UUID, mandate_id: uuid.UUID
) -> Response:
    assert access.file is not None
    service.revoke_mandate(db, access.actor, access.file, mandate_id)
    service.record_access(db, access.actor, access.file, "mandat.revoque")
    return redirect(f"/association/membres/{access.file.id}")


@router.get("/membres/{file_id}/mandats/{mandate_id}/mandat.pdf")
def mandate_pdf(
    db: SessionDep, access: AccessDep, file_id: uuid.UUID, mandate_id: uuid.UUID
) -> Response:
    """The mandate document, to print and have the member sign."""
    assert access.file is not None
    mandate = db.get(Mandate, mandate_id)
    if mandate is None or mandate.file_id != access.file.id:
        raise NotFound()
    letter = mandate_letter(db, access.file, mandate)
    return Response(
        letter_pdf(letter),
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="reprise-mandat.pdf"'},
    )


@router.post("/membres/{file_id}/acces")
def give_access(
    request: Request, db: SessionDep, access: AccessDep, file_id: uuid.UUID, email: Text = ""
) -> Response:
    """An administrator invites the member to reach their own file (never a team address)."""
    assert access.file is not None
    try:
        invitations.invite(db, access.actor, email, invitations.MEMBER, access.file)
    except Invalid as exc:
        values = {"email": email}
        return _member_page(request, "association/member.html", db, access, exc.errors, values, 422)
    service.record_access(db, access.actor, access.file, "acces.donne")
    return redirect(f"/association/membres/{access.file.id}")


@router.get("/membres/{file_id}/dossier", response_class=HTMLResponse)
def dossier(
    request: Request, db: SessionDep, access: AccessDep, file_id: uuid.UUID
) -> HTMLResponse:
    assert access.file is not None
    assert access.cover is not None
    service.record_access(db, access.actor, access.file, "dossier.consulte")
    return _dossier_page(request, db, access)


def _dossier_page(
    request: Request,
    db: SessionDep,
    access: AccessDep,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    assert access.file is not None
    assert access.cover is not None
    scope = access.cover
    identity = patient_files.identity_of(access.file)
    return render_page(
        request,
        "association/dossier.html",
        {
            "file": access.file,
            "name": patient_files.display_name(access.file),
            "identity": identity,
            "values": values or form_from_identity(identity),
            "errors": errors or {},
            "countries": countries(),
            "scope": scope,
            "kinds": [k for k in supported_kinds() if k in scope.rights],
            "platforms": [p for p in get_catalogue().platforms if p.slug in scope.platforms],
            "organisations": [
                (ORGANISATION_PREFIX + organisation_key(o), o) for o in scope.organisations
            ],
            "letters": [
                (letter, patient_files.letter_content(letter))
                for letter in patient_files.letters_of(db, [access.file.id])
            ],
            "recipient_name": patient_files.recipient_name,
            "rights": RIGHTS,
        },
        status,
    )


@router.post("/membres/{file_id}/identite")
async def member_identity(
    request: Request, db: SessionDep, access: AccessDep, file_id: uuid.UUID
) -> Response:
    assert access.file is not None
    form = await request.form()
    values = {name: str(form.get(name) or "")[:300] for name in FIELDS}
    identity, errors = identity_from_form(values, [])
    if identity is None:
        return _dossier_page(request, db, access, errors, values, 422)
    patient_files.set_identity(db, access.file, identity)
    service.record_access(db, access.actor, access.file, "identite.modifiee")
    return redirect(f"/association/membres/{access.file.id}/dossier")


def _helper(db: SessionDep, association_id: uuid.UUID | None, user: Any) -> Helper | None:
    """Who prepares a member's letter: named in it, with the association (issue: a letter
    written under a mandate says so)."""
    association = db.get(Association, association_id) if association_id else None
    if association is None or user is None:
        return None
    name = users.name_of(user) or users.email_of(user)
    return Helper(association=service.association_name(association), name=name)


@router.post("/membres/{file_id}/lettres")
def member_letter(
    request: Request,
    db: SessionDep,
    access: AccessDep,
    file_id: uuid.UUID,
    kind: Text = "",
    platform: Text = "",
) -> Response:
    assert access.file is not None
    assert access.cover is not None
    scope = access.cover
    # `platform` is a catalogue slug, or `organisme:<key>` for an organisation the mandate names.
    refused = Invalid({"platform": _("Le mandat ne couvre pas ce droit pour ce destinataire.")})
    to: str | Addressee = platform
    if platform.startswith(ORGANISATION_PREFIX):
        organisation = scope.organisation(platform.removeprefix(ORGANISATION_PREFIX))
        if organisation is None or not scope.allows(kind, organisation):
            raise refused
        to = Addressee(organisation=organisation)
    elif not scope.allows(kind, platform):
        raise refused
    try:
        patient_files.store_letter(
            db,
            access.file,
            kind,
            to,
            patient_files.identity_of(access.file),
            None,
            access.actor.user_id,
            written_by=_helper(db, access.file.association_id, access.actor.user),
        )
    except Invalid as exc:
        # The member's identity lacks what a letter needs: say so next to the address.
        message = next(iter(exc.errors.values()))
        return _dossier_page(request, db, access, {"address_line1": message}, None, 422)
    detail = to.name if isinstance(to, Addressee) else to
    service.record_access(db, access.actor, access.file, "lettre.creee", detail)
    return redirect(f"/association/membres/{access.file.id}/dossier")


@router.get("/membres/{file_id}/lettres/{letter_id}/lettre.pdf")
def member_letter_pdf(
    db: SessionDep, access: AccessDep, file_id: uuid.UUID, letter_id: uuid.UUID
) -> Response:
    assert access.file is not None
    assert access.letter is not None
    content = patient_files.letter_content(access.letter)
    service.record_access(
        db,
        access.actor,
        access.file,
        "lettre.telechargee",
        str(content.get("platform") or patient_files.recipient_name(content)),
    )
    letter = patient_files.letter_of(access.letter)
    return Response(
        letter_pdf(letter),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{letter.file_stem}.pdf"'},
    )
