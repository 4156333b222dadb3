"""JSON API, version 1: tracked requests (proceedings), with a personal token
(`Authorization: Bearer ...`). A helper's token reaches only what their mandates cover."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Body
from fastapi.responses import Response

from app.api import AUTHENTICATED_RESPONSES
from app.api.schemas import FollowUpCreate, LetterOut, ProceedingCreate, ProceedingOut
from app.clock import today
from app.db import SessionDep
from app.errors import Invalid
from app.grants import AccessDep, ReachableProceeding
from app.i18n import gettext as _
from app.letters.render import letter_pdf
from app.patients import files as patient_files
from app.proceedings import actions, service
from app.proceedings.calendar import proceeding_calendar
from app.proceedings.events import Event
from app.proceedings.preferences import preferences_of
from app.routing import Router

router = Router(prefix="/api/v1/proceedings", tags=["v1"], responses=AUTHENTICATED_RESPONSES)


def _out(db: SessionDep, view: service.ProceedingView) -> ProceedingOut:
    letters = [
        LetterOut(
            id=letter.id,
            kind=str(patient_files.letter_content(letter).get("kind")),
            created_at=letter.created_at,
        )
        for letter in service.letters_of_proceeding(db, view.proceeding)
    ]
    return ProceedingOut.of(view, letters)


@router.get("", response_model=list[ProceedingOut])
def list_proceedings(db: SessionDep, access: AccessDep) -> list[ProceedingOut]:
    """Every proceeding the caller may see, overdue first, with due date and next step."""
    return [_out(db, row.view) for row in actions.proceedings_seen_by(db, access.actor, today())]


@router.post("", response_model=ProceedingOut, status_code=201)
def create_proceeding(
    db: SessionDep, access: AccessDep, body: Annotated[ProceedingCreate, Body()]
) -> ProceedingOut:
    """Write the first letter from the file's identity (or `identity`) and follow it."""
    day = today()
    proceeding, _created = actions.start_proceeding(
        db,
        access.actor,
        body.kind,
        body.addressee(),
        body.identity.model_dump(mode="json") if body.identity is not None else None,
        body.options,
        day,
        file_id=body.file_id,
    )
    return _out(db, service.view_of(proceeding, day))


@router.get("/{proceeding_id}", response_model=ProceedingOut)
def get_proceeding(
    db: SessionDep, access: ReachableProceeding, proceeding_id: uuid.UUID
) -> ProceedingOut:
    return _out(db, actions.open_proceeding(db, access.actor, access.reach, today()))


@router.post("/{proceeding_id}/events", response_model=ProceedingOut, status_code=201)
def record_event(
    db: SessionDep,
    access: ReachableProceeding,
    proceeding_id: uuid.UUID,
    body: Annotated[Event, Body()],
) -> ProceedingOut:
    """Record what happened; 422 naming the field when the lifecycle or the date refuses it.
    Follow-up letters are made with POST .../letters, not recorded here."""
    if body.kind == "generated":
        raise Invalid({"kind": _("Les lettres se préparent avec POST .../letters.")})
    return _out(db, actions.record_event(db, access.actor, access.reach, body, today()))


@router.post("/{proceeding_id}/letters", response_model=LetterOut, status_code=201)
def write_follow_up(
    db: SessionDep,
    access: ReachableProceeding,
    proceeding_id: uuid.UUID,
    body: Annotated[FollowUpCreate, Body()],
) -> LetterOut:
    """A follow-up letter made from the proceeding's own dates and references."""
    letter = actions.write_follow_up(db, access.actor, access.reach, body.kind, today())
    return LetterOut(id=letter.id, kind=body.kind, created_at=letter.created_at)


@router.get(
    "/{proceeding_id}/letters/{letter_id}",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def letter_file(
    db: SessionDep, access: ReachableProceeding, proceeding_id: uuid.UUID, letter_id: uuid.UUID
) -> Response:
    """One letter of the proceeding, as PDF (made again from what was stored)."""
    letter = actions.proceeding_letter(db, access.actor, access.reach, letter_id)
    return Response(
        letter_pdf(letter),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{letter.file_stem}.pdf"'},
    )


@router.get(
    "/{proceeding_id}/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def calendar_file(
    db: SessionDep, access: ReachableProceeding, proceeding_id: uuid.UUID
) -> Response:
    """The proceeding's dates as an iCalendar file."""
    view = actions.open_proceeding(db, access.actor, access.reach, today())
    names = preferences_of(db, access.actor.user_id).feed_names
    return Response(
        proceeding_calendar([view], names),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="reprise-echeances.ics"'},
    )
