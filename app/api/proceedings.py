"""JSON API, version 1: tracked requests (proceedings), with a personal token
(`Authorization: Bearer ...`). A helper's token reaches only what their mandates cover."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.api import AUTHENTICATED_RESPONSES
from app.api.schemas import LetterOut, ProceedingOut
from app.catalogue.loader import get_catalogue
from app.catalogue.organisation import Organisation
from app.clock import today
from app.db import SessionDep
from app.errors import Invalid, NotFound
from app.grants import AccessDep, ProceedingGrant, ReachableProceeding
from app.i18n import gettext as _
from app.letters.addressees import Addressee
from app.letters.identity import Identity
from app.letters.render import letter_pdf
from app.models.organisation import StoredLetter
from app.organisations.audit import AuditAction
from app.patients import files as patient_files
from app.proceedings import actions, service
from app.proceedings.access import note_helper_access
from app.proceedings.calendar import proceeding_calendar
from app.proceedings.events import Event, FollowUpKind, RightKind
from app.proceedings.preferences import preferences_of

router = APIRouter(prefix="/api/v1/proceedings", tags=["v1"], responses=AUTHENTICATED_RESPONSES)


class ProceedingCreate(BaseModel):
    """Write a first request and follow it: in the caller's own file, or in a member's file
    (`file_id`) under a mandate in force that covers this right and platform.

    The request goes to a catalogue platform (`platform`) or to an organisation outside the
    catalogue (`organisation`: from FINESS, the company register, or typed), never both.
    A mandate covers the catalogue platforms and the organisations it names (the same FINESS
    number, else SIREN, else name and postal code)."""

    model_config = ConfigDict(extra="forbid")

    kind: RightKind
    platform: str | None = Field(default=None, max_length=80)
    organisation: Organisation | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    file_id: uuid.UUID | None = None
    identity: Identity | None = None


class FollowUpCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: FollowUpKind


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


def _note(db: SessionDep, access: ProceedingGrant, action: AuditAction) -> None:
    note_helper_access(db, access.actor, access.reach, action)


@router.get("", response_model=list[ProceedingOut])
def list_proceedings(db: SessionDep, access: AccessDep) -> list[ProceedingOut]:
    """Every proceeding the caller may see, overdue first, with due date and next step."""
    return [_out(db, row.view) for row in actions.proceedings_seen_by(db, access.actor, today())]


def _addressee(body: ProceedingCreate) -> Addressee:
    """The request's recipient: one of `platform` and `organisation` (422 naming the field)."""
    if body.platform is not None and body.organisation is not None:
        raise Invalid({"organisation": _("Indiquez une plateforme ou un organisme, pas les deux.")})
    if body.organisation is not None:
        return Addressee.of_organisation(body.organisation.model_dump(mode="json"))
    if body.platform is None:
        message = _("Indiquez une plateforme du catalogue ou un organisme.")
        raise Invalid({"platform": message, "organisation": message})
    if get_catalogue().get(body.platform) is None:
        raise Invalid({"platform": _("Cette plateforme n'est pas dans le catalogue.")})
    return Addressee(platform=body.platform)


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
        _addressee(body),
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
    _note(db, access, AuditAction.TRACKING_VIEWED)
    return _out(db, service.view_of(access.proceeding, today()))


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
    view = service.record(db, access.proceeding, body, today())
    _note(db, access, AuditAction.TRACKING_UPDATED)
    return _out(db, view)


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
    stored = db.get(StoredLetter, letter_id)
    if stored is None or stored.proceeding_id != access.proceeding.id:
        raise NotFound("no such letter in this proceeding")
    _note(db, access, AuditAction.LETTER_DOWNLOADED)
    letter = patient_files.letter_of(stored)
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
    _note(db, access, AuditAction.TRACKING_VIEWED)
    names = preferences_of(db, access.actor.user_id).feed_names
    return Response(
        proceeding_calendar([service.view_of(access.proceeding, today())], names),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="reprise-echeances.ics"'},
    )
