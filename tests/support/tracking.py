"""Requests being tracked, made directly through the services: people with files, requests sent
and answered, for the observatory, the reminders and the organisation tracking."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.clock import today
from app.deadlines.calendar import add_months
from app.letters.addressees import Addressee
from app.models.organisation import PatientFile
from app.observatory.figures import figures_date
from app.patients.files import store_letter
from app.proceedings.events import Event
from app.proceedings.preferences import save
from app.proceedings.service import record, track_letter, track_new_letter
from tests.support.world import IDENTITY, make_user

TODAY = today()
AS_OF = figures_date(TODAY)
# Sent long enough ago: received the same day by email, due a month later, counted a month
# after that, well before the figures' date.
OLD = add_months(AS_OF, -5)
D = dt.date
MARCH_2 = D(2026, 3, 2)


def organisation(**changes: Any) -> dict[str, Any]:
    """A (fictitious) establishment in Strasbourg, as FINESS describes one."""
    base: dict[str, Any] = {
        "name": "Hôpital d'Exemple de Strasbourg",
        "address_lines": ["Direction", "1 place de l'Exemple", "67091 Strasbourg Cedex"],
        "email": None,
        "siren": None,
        "finess": "670000000",
        "category": "hospital",
        "public": True,
    }
    return {**base, **changes}


@dataclass
class Person:
    file: PatientFile


def person(db: Session, *, account: bool = False, association_id: object = None) -> Person:
    user = make_user(db, f"p{uuid.uuid4().hex[:12]}@example.org") if account else None
    file = PatientFile(user_id=user.id if user else None, association_id=association_id)
    db.add(file)
    db.flush()
    return Person(file)


def request(
    db: Session,
    who: Person,
    *,
    slug: str | Addressee = "doctolib",
    right: str = "access",
    sent: dt.date = OLD,
    answer_after: int | None = 20,
    outcome: str = "complete",
    reminder_after: int | None = None,
) -> None:
    proceeding, _created = track_new_letter(db, who.file, right, slug, IDENTITY, {}, None, sent)
    record(db, proceeding, Event(kind="sent", date=sent, channel="email"), TODAY)
    if reminder_after is not None:
        day = sent + dt.timedelta(days=reminder_after)
        record(db, proceeding, Event(kind="reminder", date=day, channel="email"), TODAY)
    if answer_after is not None:
        day = sent + dt.timedelta(days=answer_after)
        record(db, proceeding, Event(kind="answer", date=day, outcome=outcome), TODAY)


def people(db: Session, count: int, **options: object) -> list[Person]:
    found = []
    for _ in range(count):
        who = person(db)
        request(db, who, **options)  # type: ignore[arg-type]
        found.append(who)
    return found


def tracked(
    engine: Engine,
    email: str,
    *,
    letter_on: D = MARCH_2,
    sent: D | None = MARCH_2,
    channel: str = "email",
    platform: str = "doctolib",
    locale: str | None = None,
    reminders_on: bool = True,
) -> uuid.UUID:
    """A person and their access request, sent by email (received the same day)."""
    with Session(engine, expire_on_commit=False) as db:
        user = make_user(db, email)
        file = PatientFile(user_id=user.id)
        db.add(file)
        db.flush()
        letter = store_letter(db, file, "access", platform, IDENTITY, None, user.id, letter_on)
        proceeding, _created = track_letter(db, file, letter, user.id, letter_on)
        if sent is not None:
            record(db, proceeding, Event(kind="sent", date=sent, channel=channel), sent)  # type: ignore[arg-type]
        if locale is not None or not reminders_on:
            save(db, user, reminders=reminders_on, locale=locale or "fr", feed_names=False)
        db.commit()
        return proceeding.id
