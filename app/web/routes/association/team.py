"""The association's home page, its creation, and its team (invitations, removals)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts import users
from app.clock import today
from app.db import SessionDep
from app.errors import Invalid
from app.grants import AccessDep
from app.models.organisation import Association
from app.organisations import invitations, service
from app.organisations.access import cover_for
from app.patients import files as patient_files
from app.routing import Router
from app.web.deps import csrf_protect
from app.web.pages import redirect, render_page
from app.web.routes.accounts import notice

router = Router(prefix="/association", dependencies=[Depends(csrf_protect)])
Text = Annotated[str, Form(max_length=300)]


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
