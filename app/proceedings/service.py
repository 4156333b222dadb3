"""Proceedings in the database: create from a letter, record and undo events, lists.

A proceeding goes to a catalogue platform or to an organisation outside the catalogue (its
content holds {"platform": slug} or {"organisation": {...}}, app.letters.addressees).
The recipient, the right and every event are sealed; `refresh` keeps the plain columns the
dashboard and the reminder scan read (status, due date, next reminder) in step with them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import case
from sqlmodel import Session, col, select

from app.errors import Conflict, Invalid
from app.i18n import gettext as _
from app.letters.addressees import Addressee, addressee, addressee_of
from app.letters.kinds import RIGHT_KINDS
from app.models.base import utcnow
from app.models.job import Job
from app.models.organisation import PatientFile, StoredLetter
from app.models.proceeding import Proceeding
from app.observatory import facts as observatory
from app.patients.files import letter_content, store_letter
from app.proceedings.events import Event
from app.proceedings.lifecycle import apply, start
from app.proceedings.next_steps import (
    next_reminder,
    reminder_moments,
)
from app.proceedings.views import ProceedingView, content_of, events_of, view_of
from app.security.fields import seal

# The read model lives in app.proceedings.views; these names stay importable from here.
__all__ = [
    "REMINDER_KIND",
    "ProceedingView",
    "content_of",
    "events_of",
    "find_open",
    "letters_of_proceeding",
    "listing",
    "lock",
    "plan_next_reminder",
    "record",
    "refresh",
    "track_letter",
    "track_new_letter",
    "undo_last",
    "view_of",
]

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
    observatory.sync(db, proceeding, view.course())


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
