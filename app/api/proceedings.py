"""JSON API, version 1: tracked requests (proceedings), with a personal token
(`Authorization: Bearer ...`). A helper's token reaches only what their mandates cover."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal, Protocol

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

import app.proceedings.privacy  # noqa: F401  (export, deletion and purge of proceedings)
from app.api import AUTHENTICATED_RESPONSES
from app.catalogue.loader import get_catalogue
from app.clock import today
from app.db import SessionDep
from app.deadlines.rules import Deadline
from app.errors import Forbidden, Invalid, NotFound
from app.i18n import gettext as _
from app.letters.addressees import Addressee
from app.letters.identity import Identity
from app.letters.render import letter_pdf
from app.letters.service import RecipientInput
from app.models.account import User
from app.models.organisation import PatientFile, StoredLetter
from app.models.proceeding import Proceeding
from app.organisations.access import Actor, mandated_file, own_files
from app.organisations.mandates import Cover
from app.organisations.service import record_access
from app.patients import files as patient_files
from app.proceedings import service
from app.proceedings.access import allows_addressee, member_proceedings, visible
from app.proceedings.calendar import proceeding_calendar
from app.proceedings.events import Event, FollowUpKind, RightKind
from app.proceedings.lifecycle import allowed
from app.proceedings.next_steps import STEP_LABELS
from app.proceedings.preferences import preferences_of

router = APIRouter(prefix="/api/v1/proceedings", tags=["v1"], responses=AUTHENTICATED_RESPONSES)


class Access(Protocol):
    """What the gate (app.authorisation, in front of every route) found: who, and what."""

    actor: Actor
    file: PatientFile | None
    cover: Cover | None
    proceeding: Proceeding | None

    @property
    def user(self) -> User: ...


def _gate(request: Request) -> Access:
    access: Access = request.state.access
    return access


AccessDep = Annotated[Access, Depends(_gate)]


class NextStepOut(BaseModel):
    code: str
    label: str
    letter: str | None = None
    event: str | None = None
    when: dt.date | None = Field(
        default=None, description="the date the step is about (for refer-cada: the last day)"
    )


class LetterOut(BaseModel):
    id: uuid.UUID
    kind: str
    created_at: dt.datetime


class OrganisationOut(BaseModel):
    """An organisation outside the catalogue, as the request was addressed to it."""

    name: str
    address_lines: list[str]
    email: str | None = None
    siren: str | None = None
    finess: str | None = None
    category: str | None = None
    public: bool | None = None


class CadaOut(BaseModel):
    """For a medical record refused (or left unanswered) by an establishment that may be
    public: the last day to refer to the CADA (CRPA R311-15, R343-1)."""

    due: dt.date = Field(description="the last day to refer to the CADA")
    refused_on: dt.date = Field(description="the refusal's date, or the day silence counts as one")
    implicit: bool = Field(description="true: silence one month after receipt counts as refusal")
    estimated: bool = Field(description="true: counted from the sending, the receipt unknown")
    started: bool = Field(description="true: the refusal has happened (the period is running)")


class ProceedingOut(BaseModel):
    """A tracked request: its due date, why, and the one next step. It goes to a catalogue
    platform (`platform`) or to an organisation outside the catalogue (`organisation`)."""

    id: uuid.UUID
    file_id: uuid.UUID
    platform: str | None = Field(description="the catalogue platform's slug (null: organisation)")
    organisation: OrganisationOut | None = None
    platform_name: str = Field(description="the name of the platform or organisation")
    right: str
    status: str
    due: dt.date | None = Field(description="the date the page shows (null: none to watch)")
    due_basis: Literal["legal", "practical", "none"]
    receipt: dt.date | None
    receipt_estimated: bool
    days_left: int | None
    next_step: NextStepOut
    deadline: Deadline | None = Field(description="the deadline rules' result for the events")
    cada: CadaOut | None = None
    allowed_events: list[str]
    events: list[Event]
    letters: list[LetterOut]


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
    organisation: RecipientInput | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    file_id: uuid.UUID | None = None
    identity: Identity | None = None


class FollowUpCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: FollowUpKind


def _out(db: SessionDep, view: service.ProceedingView) -> ProceedingOut:
    due = view.due
    return ProceedingOut(
        id=view.id,
        file_id=view.proceeding.file_id,
        platform=view.platform,
        organisation=OrganisationOut.model_validate(view.organisation)
        if view.organisation is not None
        else None,
        platform_name=view.recipient_name,
        right=view.right,
        status=view.facts.state,
        due=due.day,
        due_basis=due.basis,
        receipt=due.receipt.day if due.receipt else None,
        receipt_estimated=bool(due.receipt and due.receipt.estimated),
        days_left=view.days_left,
        next_step=NextStepOut(
            code=view.step.code,
            label=_(STEP_LABELS[view.step.code]),
            letter=view.step.letter,
            event=view.step.event,
            when=view.step.when,
        ),
        deadline=due.deadline,
        cada=CadaOut(
            due=view.cada.due,
            refused_on=view.cada.refused_on,
            implicit=view.cada.implicit,
            estimated=view.cada.estimated,
            started=view.cada.started(view.today),
        )
        if view.cada is not None
        else None,
        allowed_events=allowed(view.facts),
        events=list(view.facts.events),
        letters=[
            LetterOut(
                id=letter.id,
                kind=str(patient_files.letter_content(letter).get("kind")),
                created_at=letter.created_at,
            )
            for letter in service.letters_of_proceeding(db, view.proceeding)
        ],
    )


def _note(db: SessionDep, access: Access, action: str) -> None:
    if access.cover is not None and access.file is not None:
        record_access(db, access.actor, access.file, action)


@router.get("", response_model=list[ProceedingOut])
def list_proceedings(db: SessionDep, access: AccessDep) -> list[ProceedingOut]:
    """Every proceeding the caller may see, overdue first, with due date and next step."""
    day = today()
    seen = visible(db, access.actor, day)
    views = [service.view_of(p, day) for p in service.listing(db, seen.own_file_ids)]
    for file, cover in seen.member_files:
        found = member_proceedings(db, file, cover)
        if found:
            record_access(db, access.actor, file, "suivi.consulte")
        views += [service.view_of(p, day) for p in found]
    views.sort(
        key=lambda v: (v.facts.state == "closed", v.due.day is None, v.due.day or dt.date.max)
    )
    return [_out(db, view) for view in views]


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


def _target_file(
    db: SessionDep, access: Access, body: ProceedingCreate, to: Addressee
) -> PatientFile:
    day = today()
    own = own_files(db, access.actor)
    if body.file_id is None:
        mine = next((f for f in own if f.association_id is None), None)
        if mine is None:
            mine = PatientFile(user_id=access.user.id)
            db.add(mine)
            db.flush()
        return mine
    if any(f.id == body.file_id for f in own):
        return next(f for f in own if f.id == body.file_id)
    file, cover = mandated_file(db, access.actor, body.file_id, day)
    if not allows_addressee(cover, body.kind, to):
        raise Forbidden(_("Le mandat ne couvre pas ce droit pour ce destinataire."))
    return file


@router.post("", response_model=ProceedingOut, status_code=201)
def create_proceeding(
    db: SessionDep, access: AccessDep, body: Annotated[ProceedingCreate, Body()]
) -> ProceedingOut:
    """Write the first letter from the file's identity (or `identity`) and follow it."""
    to = _addressee(body)
    file = _target_file(db, access, body, to)
    identity = (
        body.identity.model_dump(mode="json")
        if body.identity is not None
        else patient_files.identity_of(file)
    )
    try:
        Identity.model_validate(identity)
    except ValueError as exc:
        raise Invalid(
            {"identity": _("Complétez d'abord l'identité : nom, prénom et adresse postale.")}
        ) from exc
    day = today()
    proceeding, _created = service.track_new_letter(
        db, file, body.kind, to, identity, body.options, access.user.id, day
    )
    if file.association_id is not None and file.user_id != access.user.id:
        record_access(db, access.actor, file, "suivi.cree", to.platform or to.name)
    return _out(db, service.view_of(proceeding, day))


@router.get("/{proceeding_id}", response_model=ProceedingOut)
def get_proceeding(db: SessionDep, access: AccessDep, proceeding_id: uuid.UUID) -> ProceedingOut:
    assert access.proceeding is not None
    _note(db, access, "suivi.consulte")
    return _out(db, service.view_of(access.proceeding, today()))


@router.post("/{proceeding_id}/events", response_model=ProceedingOut, status_code=201)
def record_event(
    db: SessionDep, access: AccessDep, proceeding_id: uuid.UUID, body: Annotated[Event, Body()]
) -> ProceedingOut:
    """Record what happened; 422 naming the field when the lifecycle or the date refuses it.
    Follow-up letters are made with POST .../letters, not recorded here."""
    assert access.proceeding is not None
    if body.kind == "generated":
        raise Invalid({"kind": _("Les lettres se préparent avec POST .../letters.")})
    view = service.record(db, access.proceeding, body, today())
    _note(db, access, "suivi.modifie")
    return _out(db, view)


@router.post("/{proceeding_id}/letters", response_model=LetterOut, status_code=201)
def write_follow_up(
    db: SessionDep,
    access: AccessDep,
    proceeding_id: uuid.UUID,
    body: Annotated[FollowUpCreate, Body()],
) -> LetterOut:
    """A follow-up letter made from the proceeding's own dates and references."""
    assert access.proceeding is not None
    if access.cover is not None and (
        body.kind == "cada-referral"
        or (body.kind == "complaint-file" and "complaint" not in access.cover.rights)
    ):
        raise Forbidden(_("Le mandat ne couvre pas cette lettre."))
    letter = service.make_follow_up(
        db,
        access.proceeding,
        body.kind,
        access.actor.user_id,
        today(),
    )
    _note(db, access, "suivi.lettre")
    return LetterOut(id=letter.id, kind=body.kind, created_at=letter.created_at)


@router.get(
    "/{proceeding_id}/letters/{letter_id}",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def letter_file(
    db: SessionDep, access: AccessDep, proceeding_id: uuid.UUID, letter_id: uuid.UUID
) -> Response:
    """One letter of the proceeding, as PDF (made again from what was stored)."""
    assert access.proceeding is not None
    stored = db.get(StoredLetter, letter_id)
    if stored is None or stored.proceeding_id != access.proceeding.id:
        raise NotFound("no such letter in this proceeding")
    _note(db, access, "lettre.telechargee")
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
def calendar_file(db: SessionDep, access: AccessDep, proceeding_id: uuid.UUID) -> Response:
    """The proceeding's dates as an iCalendar file."""
    assert access.proceeding is not None
    _note(db, access, "suivi.consulte")
    names = preferences_of(db, access.actor.user_id).feed_names
    return Response(
        proceeding_calendar([service.view_of(access.proceeding, today())], names),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="reprise-echeances.ics"'},
    )
