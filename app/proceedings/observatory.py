"""The summary made again from the proceedings themselves: after an upgrade (requests tracked
before the observatory existed), after the secret key changed, for a person who lets their
requests count again, and as the benchmark's reference ("recompute from scratch")."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.clock import today
from app.models.account import User
from app.models.observatory import ObservatoryFact
from app.models.organisation import PatientFile
from app.models.proceeding import Proceeding
from app.observatory.facts import fact_of, forget_person, included, pseudonym, unpublish
from app.proceedings.preferences import preferences_of
from app.proceedings.service import view_of


def facts_from_scratch(
    db: Session, file_ids: Sequence[uuid.UUID] | None = None
) -> Iterator[ObservatoryFact]:
    """Every summary row the proceedings give now (of these files only, when given)."""
    day = today()
    query = select(Proceeding, PatientFile).join(
        PatientFile, col(PatientFile.id) == col(Proceeding.file_id)
    )
    if file_ids is not None:
        query = query.where(col(Proceeding.file_id).in_(file_ids))
    allowed: dict[uuid.UUID, bool] = {}
    for proceeding, file in db.exec(query.execution_options(yield_per=1000)):
        if file.id not in allowed:
            allowed[file.id] = included(db, file)
        if not allowed[file.id]:
            continue
        fact = fact_of(proceeding, file, view_of(proceeding, day).course())
        if fact is not None:
            yield fact


def rebuild(db: Session) -> int:
    """Replace the whole summary with what the proceedings give now; returns the row count."""
    db.execute(delete(ObservatoryFact))
    unpublish(db)
    count = 0
    for fact in facts_from_scratch(db):
        db.add(fact)
        count += 1
        if count % 1000 == 0:
            db.flush()
    db.flush()
    return count


def set_included(db: Session, user: User, wanted: bool) -> None:
    """Record the person's choice: their rows leave the figures at once (the published cells
    are made again without them), or come back at the next month's publication."""
    preference = preferences_of(db, user.id)
    preference.observatory = wanted
    db.add(preference)
    db.flush()
    forget_person(db, pseudonym("user", user.id))
    if wanted:
        from app.proceedings.observatory_objection import clear_recorded_objections

        clear_recorded_objections(db, user.id)
        files = db.exec(select(PatientFile.id).where(PatientFile.user_id == user.id)).all()
        for fact in facts_from_scratch(db, list(files)):
            db.merge(fact)
    db.flush()
