"""Proceedings in the database: create from a letter, record events, follow-up letters, lists.

A proceeding goes to a catalogue platform or to an organisation outside the catalogue (its
content holds {"platform": slug} or {"organisation": {...}}, app.letters.addressees).
The recipient, the right and every event are sealed; `refresh` keeps the plain columns the
dashboard and the reminder scan read (status, due date, next reminder) in step with them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case
from sqlmodel import Session, col, select

from app.deadlines.cada import CadaReferral
from app.errors import Conflict, Invalid, NotFound
from app.i18n import gettext as _
from app.letters.addressees import Addressee, addressee, addressee_of
from app.letters.identity import Identity
from app.models.base import utcnow
from app.models.job import Job
from app.models.organisation import PatientFile, StoredLetter
from app.models.proceeding import Proceeding
from app.observatory import facts as observatory
from app.patients.files import identity_of, letter_content, store_letter
from app.proceedings.deadline import Due, cada_of, days_left, due_of
from app.proceedings.events import FOLLOW_UP_KINDS, RIGHT_KINDS, Event
from app.proceedings.lifecycle import Facts, apply, replay, start
from app.proceedings.next_steps import (
    NextStep,
    follow_up_refusal,
    next_reminder,
    next_step,
    reminder_moments,
)
from app.security.fields import seal, unseal


@dataclass(frozen=True)
class ProceedingView:
    """A proceeding as pages, the API and reminders see it."""

    proceeding: Proceeding
    recipient: Addressee
    right: str
    options: dict[str, Any]
    facts: Facts
    due: Due
    step: NextStep
    today: dt.date
    alsace_moselle: bool
    hospital: bool
    # For a medical record an establishment that may be public refused or left unanswered.
    cada: CadaReferral | None = None

    @property
    def id(self) -> uuid.UUID:
        return self.proceeding.id

    @property
    def platform(self) -> str | None:
        """The catalogue platform's slug; None for an organisation."""
        return self.recipient.platform

    @property
    def organisation(self) -> dict[str, Any] | None:
        return self.recipient.organisation

    @property
    def recipient_name(self) -> str:
        return self.recipient.name

    @property
    def days_left(self) -> int | None:
        return days_left(self.due, self.today)

    @property
    def overdue(self) -> bool:
        left = self.days_left
        return left is not None and left < 0


def content_of(proceeding: Proceeding) -> dict[str, Any]:
    data = unseal(proceeding, "content_sealed", {}) or {}
    return data if isinstance(data, dict) else {}


def events_of(proceeding: Proceeding) -> list[Event]:
    return [Event.model_validate(item) for item in unseal(proceeding, "events_sealed", []) or []]


def view_of(
    proceeding: Proceeding, today: dt.date, events: list[Event] | None = None
) -> ProceedingView:
    content = content_of(proceeding)
    right = str(content.get("right", "access"))
    options = dict(content.get("options") or {})
    facts = replay(right, events if events is not None else events_of(proceeding))
    recipient = addressee_of(content)
    alsace, hospital = recipient.alsace_moselle, recipient.may_be_public
    due = due_of(
        facts,
        alsace_moselle=alsace,
        older_than_5_years=bool(options.get("older_than_5_years")),
    )
    return ProceedingView(
        proceeding=proceeding,
        recipient=recipient,
        right=right,
        options=options,
        facts=facts,
        due=due,
        step=next_step(facts, due, today, hospital=hospital),
        today=today,
        alsace_moselle=alsace,
        hospital=hospital,
        cada=cada_of(facts, hospital=hospital),
    )


REMINDER_KIND = "proceeding-reminder"


def reminder_subject(proceeding_id: uuid.UUID, moment: str, day: dt.date) -> str:
    """The job subject of one reminder: (kind, subject, due) is unique, so it is sent once."""
    return f"{proceeding_id.hex}:{moment}:{day.isoformat()}"


def planned_reminders(db: Session, proceeding_id: uuid.UUID) -> set[str]:
    """Subjects of this proceeding's reminders already planned (sent or about to be)."""
    prefix = f"{proceeding_id.hex}:"
    rows = db.exec(
        select(Job.subject).where(
            Job.kind == REMINDER_KIND, col(Job.subject).startswith(prefix, autoescape=True)
        )
    ).all()
    return set(rows)


def plan_next_reminder(
    db: Session,
    proceeding: Proceeding,
    view: ProceedingView,
    today: dt.date,
    after: tuple[str, dt.date] | None = None,
    catch_up: int = 0,
) -> None:
    """Set the next reminder to send, skipping those already planned."""
    taken = planned_reminders(db, proceeding.id)
    moments = [
        item
        for item in reminder_moments(view.facts, view.due, view.cada)
        if item == after or reminder_subject(proceeding.id, *item) not in taken
    ]
    moment = next_reminder(moments, today, after, catch_up)
    proceeding.next_reminder = moment[0] if moment else None
    proceeding.next_reminder_on = moment[1] if moment else None


def refresh(db: Session, proceeding: Proceeding, view: ProceedingView, today: dt.date) -> None:
    """Copy what the scans need into the plain columns."""
    proceeding.status = view.facts.state
    proceeding.due_on = view.due.day
    plan_next_reminder(db, proceeding, view, today)
    proceeding.updated_at = utcnow()
    if view.facts.state == "closed":
        proceeding.closed_at = proceeding.closed_at or utcnow()
    else:
        proceeding.closed_at = None
    observatory.sync(db, proceeding, view)


def _store_events(proceeding: Proceeding, events: Sequence[Event]) -> None:
    proceeding.events_sealed = seal(
        proceeding,
        "events_sealed",
        [e.model_dump(mode="json", exclude_defaults=True) for e in events],
    )


def open_proceedings(db: Session, file_id: uuid.UUID) -> list[Proceeding]:
    return list(
        db.exec(
            select(Proceeding).where(
                Proceeding.file_id == file_id, col(Proceeding.status) != "closed"
            )
        )
    )


def find_open(
    db: Session, file_id: uuid.UUID, to: str | Addressee, right: str
) -> Proceeding | None:
    """The open proceeding of this file for (recipient, right), if any (one at a time).

    Organisations are told apart by their FINESS number, else their SIREN, else their folded
    name and postal code (app.letters.addressees.organisation_key).
    """
    key = addressee(to).key
    for proceeding in open_proceedings(db, file_id):
        content = content_of(proceeding)
        if content.get("right") == right and addressee_of(content).key == key:
            return proceeding
    return None


def track_letter(
    db: Session, file: PatientFile, letter: StoredLetter, author: uuid.UUID | None, today: dt.date
) -> tuple[Proceeding, bool]:
    """Start following the request `letter` holds; (proceeding, False) when already followed."""
    if letter.proceeding_id is not None:
        existing = db.get(Proceeding, letter.proceeding_id)
        if existing is not None:
            return existing, False
    content = letter_content(letter)
    right, recipient = str(content.get("kind")), addressee_of(content)
    if right not in RIGHT_KINDS:
        raise Invalid(
            {"kind": _("Seules les premières demandes (accès, effacement...) se suivent ainsi.")}
        )
    existing = find_open(db, file.id, recipient, right)
    if existing is not None:
        return existing, False
    letter_date = dt.date.fromisoformat(str(content.get("date") or today.isoformat()))
    proceeding = Proceeding(
        file_id=file.id,
        status="generated",
        content_sealed=b"",
        events_sealed=b"",
        created_by=author,
    )
    proceeding.content_sealed = seal(
        proceeding,
        "content_sealed",
        {**recipient.content(), "right": right, "options": content.get("options") or {}},
    )
    facts = start(right, min(letter_date, today))
    _store_events(proceeding, facts.events)
    refresh(db, proceeding, view_of(proceeding, today, list(facts.events)), today)
    db.add(proceeding)
    db.flush()
    letter.proceeding_id = proceeding.id
    db.add(letter)
    db.flush()
    return proceeding, True


def track_new_letter(
    db: Session,
    file: PatientFile,
    kind: str,
    to: str | Addressee,
    identity: dict[str, Any],
    options: dict[str, Any] | None,
    author: uuid.UUID | None,
    today: dt.date,
) -> tuple[Proceeding, bool]:
    """Keep a new letter in the file and follow it (or return the proceeding already open).

    `to` is a catalogue platform's slug or an Addressee (a platform or an organisation).
    """
    if kind not in RIGHT_KINDS:
        raise Invalid(
            {"kind": _("Seules les premières demandes (accès, effacement...) se suivent ainsi.")}
        )
    recipient = addressee(to).checked()
    existing = find_open(db, file.id, recipient, kind)
    if existing is not None:
        return existing, False
    letter = store_letter(db, file, kind, recipient, identity, options, author, today)
    return track_letter(db, file, letter, author, today)


def lock(db: Session, proceeding: Proceeding) -> None:
    """Read the proceeding again under a row lock (PostgreSQL) before changing its events, so
    two changes at once cannot lose one. SQLite has one writer at a time anyway."""
    if proceeding in db and proceeding not in db.new:
        db.refresh(proceeding, with_for_update=db.get_bind().dialect.name == "postgresql")


def record(db: Session, proceeding: Proceeding, event: Event, today: dt.date) -> ProceedingView:
    """Add `event` if the lifecycle allows it (Invalid, naming the field, otherwise)."""
    lock(db, proceeding)
    events = events_of(proceeding)
    current = view_of(proceeding, today, events)
    apply(current.facts, event, today)
    events.append(event)
    _store_events(proceeding, events)
    updated = view_of(proceeding, today, events)
    refresh(db, proceeding, updated, today)
    db.add(proceeding)
    db.flush()
    return updated


def undo_last(db: Session, proceeding: Proceeding, today: dt.date) -> Event:
    """Remove the last event (never the first letter); a follow-up letter goes with it."""
    lock(db, proceeding)
    events = events_of(proceeding)
    if len(events) <= 1:
        raise Conflict(_("Il n'y a rien à annuler."))
    removed = events.pop()
    if removed.kind == "generated":
        for letter in reversed(letters_of_proceeding(db, proceeding)):
            if letter_content(letter).get("kind") == removed.letter:
                db.delete(letter)
                break
    _store_events(proceeding, events)
    refresh(db, proceeding, view_of(proceeding, today, events), today)
    db.add(proceeding)
    db.flush()
    return removed


def letters_of_proceeding(db: Session, proceeding: Proceeding) -> list[StoredLetter]:
    return list(
        db.exec(
            select(StoredLetter)
            .where(StoredLetter.proceeding_id == proceeding.id)
            .order_by(col(StoredLetter.created_at))
        )
    )


def letter_identity(db: Session, proceeding: Proceeding) -> dict[str, Any]:
    """Who signs the follow-ups: the file's identity, else the one on the first letter."""
    file = db.get(PatientFile, proceeding.file_id)
    identity = identity_of(file) if file else {}
    try:
        Identity.model_validate(identity)
        return identity
    except ValueError:
        pass
    for letter in letters_of_proceeding(db, proceeding):
        candidate = letter_content(letter).get("identity") or {}
        try:
            Identity.model_validate(candidate)
            return dict(candidate)
        except ValueError:
            continue
    raise Invalid({"identity": _("Complétez d'abord l'identité : nom, prénom et adresse postale.")})


def follow_up_options(view: ProceedingView, kind: str) -> dict[str, Any]:
    """A follow-up's options, from what the proceeding already knows (nothing typed twice).

    Letters are written in the name of the person whose file it is, also when a helper
    prepares them: they sign it, so the complaint file does not say "on behalf of".
    """
    facts = view.facts
    common: dict[str, Any] = {
        "request_kind": view.right,
        "request_date": facts.sent_on,
        "received": facts.received_on,
        "channel": facts.channel,
        "reference": facts.reference,
    }
    extended = view.due.deadline.extended if view.due.deadline else False
    timed = {
        "extended": extended,
        "older_than_5_years": bool(view.options.get("older_than_5_years")),
        "identity_requested": facts.identity_requested_on,
        "identity_answered": facts.identity_answered_on,
    }
    if facts.regime != "gdpr":
        timed = {"older_than_5_years": timed["older_than_5_years"]}
    if kind == "reminder":
        return {**common, **timed}
    if kind == "incomplete-answer":
        answer = facts.incomplete_answer
        return {
            **common,
            "answer_date": answer.date if answer else None,
            "missing": list(answer.missing) if answer else [],
        }
    if kind == "complaint-file":
        answer = facts.last_answer
        outcome = {"refusal": "refused", "incomplete": "incomplete", None: "no-answer"}.get(
            answer.outcome if answer else None, "wrong"
        )
        return {
            **common,
            **timed,
            "outcome": outcome,
            "reminder_date": facts.reminders[-1].date if facts.reminders else None,
            "answer_date": answer.date if answer else None,
            "chronology": _chronology(facts),
        }
    if kind == "cada-referral":
        refusal = next((a for a in reversed(facts.answers) if a.outcome == "refusal"), None)
        return {
            "request_date": facts.sent_on,
            "received": facts.received_on,
            "refusal_date": refusal.date if refusal else None,
        }
    raise Invalid({"kind": _("Ce type de lettre n'existe pas.")})


def _chronology(facts: Facts) -> list[dict[str, Any]]:
    steps = [
        e
        for e in facts.events
        if e.kind
        in {
            "sent",
            "received",
            "identity-requested",
            "identity-answered",
            "extension",
            "answer",
            "reminder",
        }
    ]
    steps.sort(key=lambda e: e.date)
    return [
        {
            "date": e.date,
            "event": e.kind,
            "channel": e.channel,
            "reference": e.reference,
            "outcome": e.outcome,
        }
        for e in steps
    ]


def make_follow_up(
    db: Session,
    proceeding: Proceeding,
    kind: str,
    author: uuid.UUID | None,
    today: dt.date,
) -> StoredLetter:
    """Write a follow-up letter from the proceeding's data and note it in the timeline."""
    if kind not in FOLLOW_UP_KINDS:
        raise Invalid({"kind": _("Ce type de lettre n'existe pas.")})
    lock(db, proceeding)
    current = view_of(proceeding, today)
    event = Event(kind="generated", date=today, letter=kind)
    apply(current.facts, event, today)
    refusal = follow_up_refusal(current.facts, current.due, today, kind, hospital=current.hospital)
    if refusal is not None:
        raise Invalid({"kind": refusal})
    file = db.get(PatientFile, proceeding.file_id)
    if file is None:
        raise NotFound()
    options = follow_up_options(current, kind)
    letter = store_letter(
        db,
        file,
        kind,
        current.recipient,
        letter_identity(db, proceeding),
        json_ready(options),
        author,
        today,
    )
    letter.proceeding_id = proceeding.id
    db.add(letter)
    record(db, proceeding, event, today)
    return letter


def json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def listing(db: Session, file_ids: Sequence[uuid.UUID], limit: int = 500) -> list[Proceeding]:
    """The dashboard query: open proceedings first, by due date (overdue first), then closed."""
    if not file_ids:
        return []
    return list(
        db.exec(
            select(Proceeding)
            .where(col(Proceeding.file_id).in_(file_ids))
            .order_by(
                case((col(Proceeding.status) == "closed", 1), else_=0),
                col(Proceeding.due_on).asc().nulls_last(),
                col(Proceeding.created_at),
            )
            .limit(limit)
        )
    )
