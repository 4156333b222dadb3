"""Members' files: a new member, the member's page (their mandates), access for the member."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts import users
from app.clock import today
from app.db import SessionDep
from app.errors import Conflict, Invalid
from app.grants import AccessDep, AdminMemberFile, MemberFile, MemberFileGrant
from app.i18n import gettext as _
from app.models.account import User
from app.models.organisation import Mandate
from app.organisations import invitations, service
from app.organisations.access import cover_for, mandate_in_force, mandate_scope
from app.organisations.documents import platform_groups
from app.organisations.mandates import ANSWERS_TO, RIGHTS
from app.organisations.service import MandateView
from app.patients import files as patient_files
from app.proceedings.observatory_objection import record_member_objection
from app.routing import Router
from app.web.date_form import date_values
from app.web.deps import csrf_protect
from app.web.pages import redirect, render_page

router = Router(prefix="/association", dependencies=[Depends(csrf_protect)])
Text = Annotated[str, Form(max_length=300)]


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


def member_page(
    request: Request,
    template: str,
    db: SessionDep,
    member: MemberFileGrant,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
    mandates: list[Mandate] | None = None,
) -> HTMLResponse:
    """The member's page, or a form about them (the mandate form), with its mandates."""
    file = member.file
    if mandates is None:  # a form again: the look is already in the member's log
        mandates = service.file_mandates(db, file)
    day = today()
    return render_page(
        request,
        template,
        {
            "file": file,
            "name": patient_files.display_name(file),
            "mandates": _mandate_views(db, mandates),
            "can_act": cover_for(db, member.actor, file, day) is not None,
            "has_account": file.user_id is not None,
            "rights": RIGHTS,
            "answers": ANSWERS_TO,
            "platform_groups": platform_groups(),
            "helpers": [
                (role.user_id, users.name_of(user) or users.email_of(user))
                for role, user in service.staff_list(db, file.association_id)  # type: ignore[arg-type]
            ],
            "me": member.actor.user_id,
            "is_admin": member.actor.is_admin,
            "signature_values": date_values("signed_on", day),
            # After a refused signature date: which mandate's field shows what was typed.
            "signature_for": "",
            "signature_typed": {},
            "values": values or {},
            "errors": errors or {},
            **(extra or {}),
        },
        status,
    )


@router.get("/membres/{file_id}", response_class=HTMLResponse)
def member(
    request: Request, db: SessionDep, member: MemberFile, file_id: uuid.UUID
) -> HTMLResponse:
    mandates = service.open_member_file(db, member.actor, member.file)
    return member_page(request, "association/member.html", db, member, mandates=mandates)


@router.post("/membres/{file_id}/acces")
def give_access(
    request: Request, db: SessionDep, member: AdminMemberFile, file_id: uuid.UUID, email: Text = ""
) -> Response:
    """An administrator invites the member to reach their own file (never a team address)."""
    try:
        invitations.invite(db, member.actor, email, invitations.MEMBER, member.file)
    except Invalid as exc:
        values = {"email": email}
        return member_page(request, "association/member.html", db, member, exc.errors, values, 422)
    return redirect(f"/association/membres/{member.file.id}")


@router.post("/membres/{file_id}/observatoire")
def member_observatory(
    request: Request,
    db: SessionDep,
    member: AdminMemberFile,
    file_id: uuid.UUID,
    objection: Text = "",
) -> Response:
    """An administrator records (or withdraws) the objection of a member without an account
    to their requests counting in the observatory's figures (GDPR art. 21); audited."""
    file = member.file
    if file.user_id is not None:
        raise Conflict(_("Le membre a son propre compte : il fait ce choix lui-même."))
    if objection not in {"oui", "non"}:
        errors = {"objection": _("Choisissez de noter ou de retirer l'opposition.")}
        return member_page(request, "association/member.html", db, member, errors, status=422)
    record_member_objection(db, member.actor, file, objection == "oui")
    return redirect(f"/association/membres/{file.id}#observatoire")
