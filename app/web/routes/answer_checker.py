"""The answer checker: for an access request, tick what the answer holds; Reprise records a
complete or an incomplete answer (naming what is missing) in the proceeding."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response

from app.clock import today
from app.db import SessionDep
from app.errors import Conflict, Invalid
from app.grants import ProceedingGrant, ReachableProceeding
from app.i18n import gettext as _
from app.letters.kinds import KIND_INFO
from app.proceedings import actions, service
from app.proceedings.events import Event
from app.proceedings.explain import CHECK_ITEMS, check_items, missing_items
from app.proceedings.lifecycle import allowed
from app.routing import Router
from app.web.date_form import date_values, read_date
from app.web.deps import csrf_protect
from app.web.pages import redirect, render_page
from app.web.routes.proceedings import member_name, reach_of

router = Router(dependencies=[Depends(csrf_protect)])


def _checker_page(
    request: Request,
    access: ProceedingGrant,
    view: service.ProceedingView,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    items = [
        (item, _(CHECK_ITEMS[item][0]), _(CHECK_ITEMS[item][1]))
        for item in check_items(view.options)
    ]
    return render_page(
        request,
        "proceedings/checker.html",
        {
            "view": view,
            "member": member_name(access),
            "items": items,
            "values": values,
            "errors": errors,
            "kind_info": KIND_INFO,
        },
        status,
    )


def _checkable(view: service.ProceedingView) -> None:
    if view.right != "access" or "answer:incomplete" not in allowed(view.facts):
        raise Conflict(_("La vérification concerne la réponse à une demande d'accès envoyée."))


@router.get("/suivi/{proceeding_id}/verifier", response_class=HTMLResponse)
def checker(
    request: Request, db: SessionDep, access: ReachableProceeding, proceeding_id: uuid.UUID
) -> HTMLResponse:
    found = reach_of(access)
    view = service.view_of(found.proceeding, today())
    _checkable(view)
    return _checker_page(
        request, access, view, {**date_values("date", today()), "contained": []}, {}
    )


@router.post("/suivi/{proceeding_id}/verifier", response_class=HTMLResponse)
async def check_answer(
    request: Request, db: SessionDep, access: ReachableProceeding, proceeding_id: uuid.UUID
) -> Response:
    found = reach_of(access)
    day = today()
    view = service.view_of(found.proceeding, day)
    _checkable(view)
    form = await request.form()
    asked = check_items(view.options)
    ticked = [str(v) for v in form.getlist("contained") if str(v) in asked]
    values: dict[str, Any] = {
        name: str(form.get(name) or "")[:10] for name in ("date_day", "date_month", "date_year")
    }
    values["contained"] = ticked
    errors: dict[str, str] = {}
    answered = read_date(values, "date", errors, label=_("Date de la réponse"))
    missing = missing_items(view.options, ticked)
    try:
        if errors or answered is None:
            raise Invalid(errors)
        event = Event(
            kind="answer",
            date=answered,
            outcome="incomplete" if missing else "complete",
            missing=tuple(missing),
        )
        actions.record_event(db, access.actor, found, event, day)
    except Invalid as exc:
        return _checker_page(
            request,
            access,
            view,
            values,
            {("date" if k == "kind" else k): v for k, v in exc.errors.items()},
            422,
        )
    return redirect(f"/suivi/{found.proceeding.id}?fait=evenement")
