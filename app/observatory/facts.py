"""The observatory's summary rows, kept in step with the proceedings' events.

A row says, for one request that reached its organisation, the dates the lifecycle and the
deadline rules give: receipt, legal due date (app.deadlines through app.proceedings.deadline),
first answer, first incomplete answer, first refusal, first reminder, first complaint. It is
written from the replayed facts only: no identity, note, reference or letter text. It is found
again by a keyed hash of the proceeding's id, and counted per person by a keyed hash of the
person, so the table alone links no request to anyone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, select

from app.config import get_settings
from app.deadlines.calendar import add_months
from app.models.observatory import ObservatoryFact, Publication
from app.models.organisation import PatientFile
from app.models.proceeding import Proceeding, TrackingPreference
from app.security.crypto import blind_index, derive_key
from app.security.fields import seal

# The rights the observatory follows.
RIGHTS: tuple[str, ...] = ("access", "erasure", "objection", "medical-record")
# A request counts once its legal period has ended, plus this many months.
DELAY_MONTHS = 1


@dataclass(frozen=True)
class Course:
    """What the observatory reads of one proceeding, as plain values: the proceedings hand it
    over (app.proceedings.views), so this package never reads their views."""

    right: str
    recipient_key: str
    organisation: Mapping[str, Any] | None  # the organisation outside the catalogue, if any
    received_on: dt.date | None
    due_on: dt.date | None  # the legal due date
    answered_on: dt.date | None = None
    incomplete_on: dt.date | None = None
    refused_on: dt.date | None = None
    reminded_on: dt.date | None = None
    complaint_on: dt.date | None = None


@lru_cache(maxsize=1)
def _key() -> bytes:
    # A key of its own (HKDF purpose), distinct from the email index and throttling keys.
    return derive_key(get_settings().secret_key.get_secret_value(), "observatory")


def clear_key_cache() -> None:
    _key.cache_clear()


def pseudonym(kind: str, value: uuid.UUID) -> str:
    """Keyed hash of a proceeding, person or association id (never the id itself)."""
    return blind_index(_key(), f"{kind}:{value.hex}")


def organisation_hash(key: str) -> str:
    """Keyed hash of an organisation's key ("platform:<slug>", "finess:...", ...)."""
    return blind_index(_key(), f"organisation:{key}")


def person_of(file: PatientFile) -> str:
    """One person: their account when the file has one, else the file itself."""
    if file.user_id is not None:
        return pseudonym("user", file.user_id)
    return pseudonym("file", file.id)


def included(db: Session, file: PatientFile) -> bool:
    """Whether this file's requests may count (its owner has not objected, nor has their
    association recorded their objection on the file)."""
    if file.observatory_objected_at is not None:
        return False
    if file.user_id is None:
        return True
    preference = db.get(TrackingPreference, file.user_id)
    return preference is None or preference.observatory


def fact_of(proceeding: Proceeding, file: PatientFile, course: Course) -> ObservatoryFact | None:
    """The summary row of a proceeding, or None while it cannot count (not sent, another
    right, a period suspended for an identity proof)."""
    received, due_on = course.received_on, course.due_on
    if course.right not in RIGHTS or received is None or due_on is None:
        return None
    answered = course.answered_on
    key = course.recipient_key
    fact = ObservatoryFact(
        id=pseudonym("proceeding", proceeding.id),
        person=person_of(file),
        association=(
            pseudonym("association", file.association_id) if file.association_id else None
        ),
        organisation=organisation_hash(key),
        right=course.right,
        year=received.year,
        received_on=received,
        due_on=due_on,
        counted_from=add_months(due_on, DELAY_MONTHS),
        answered_on=answered,
        answer_days=(answered - received).days if answered is not None else None,
        incomplete_on=course.incomplete_on,
        refused_on=course.refused_on,
        reminded_on=course.reminded_on,
        complaint_on=course.complaint_on,
    )
    organisation = course.organisation
    if organisation is not None:
        fact.recipient_sealed = seal(
            fact,
            "recipient_sealed",
            {
                "key": key,
                "name": str(organisation.get("name") or ""),
                "category": organisation.get("category"),
            },
        )
    return fact


def unpublish(db: Session) -> None:
    """The published cells must be made again (app.observatory.published): people left the
    figures (an objection, an erasure, the purge) or the summary was rebuilt. Writes only when
    there is a publication to withdraw."""
    if db.exec(select(Publication).limit(1)).first() is not None:
        db.execute(delete(Publication))


def _dates(fact: ObservatoryFact) -> dict[str, object]:
    # The sealed recipient is sealed again each time (a new nonce): compare the rest.
    return fact.model_dump(exclude={"recipient_sealed"})


def sync(db: Session, proceeding: Proceeding, course: Course) -> None:
    """Write, replace or remove the proceeding's summary row after a change of its events.
    The month's published figures stay as they are: the change shows at the next month's
    publication, so no figure moves when one person's request does."""
    file = db.get(PatientFile, proceeding.file_id)
    row_id = pseudonym("proceeding", proceeding.id)
    fact = fact_of(proceeding, file, course) if file is not None and included(db, file) else None
    existing = db.get(ObservatoryFact, row_id)
    if existing is not None and fact is not None and _dates(existing) == _dates(fact):
        return  # nothing the figures read has changed
    if fact is None:
        if existing is not None:
            db.delete(existing)
        return
    if existing is not None:
        for column, value in fact.model_dump().items():
            setattr(existing, column, value)
        db.add(existing)
    else:
        db.add(fact)


def forget_person(db: Session, person: str) -> int:
    """Remove every row of one person (they objected); returns how many went."""
    result = db.execute(delete(ObservatoryFact).where(ObservatoryFact.person == person))  # type: ignore[arg-type]
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        unpublish(db)
    return count
