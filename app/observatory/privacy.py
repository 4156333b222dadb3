"""The observatory's part in "Mes données", account deletion and the hourly purge: its rows
follow the requests they summarise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.models.account import User
from app.models.observatory import ObservatoryFact
from app.models.proceeding import Proceeding, TrackingPreference
from app.observatory.facts import forget_person, pseudonym, unpublish
from app.privacy.personal_data import PersonalData, register


def _export(db: Session, user: User) -> tuple[dict[str, Any], dict[str, bytes]]:
    preference = db.get(TrackingPreference, user.id)
    counted = preference is None or preference.observatory
    rows = len(
        db.exec(
            select(ObservatoryFact.id).where(ObservatoryFact.person == pseudonym("user", user.id))
        ).all()
    )
    return {"observatory": {"counted_in_public_figures": counted, "requests_counted": rows}}, {}


def _erase(db: Session, user: User) -> None:
    forget_person(db, pseudonym("user", user.id))


def prune(db: Session, now: dt.datetime | None = None) -> int:
    """Remove the rows of requests that no longer exist (erased, purged); returns how many."""
    alive = {pseudonym("proceeding", pid) for pid in db.exec(select(Proceeding.id)).all()}
    gone = [row for row in db.exec(select(ObservatoryFact.id)).all() if row not in alive]
    for start in range(0, len(gone), 500):
        db.execute(
            delete(ObservatoryFact).where(col(ObservatoryFact.id).in_(gone[start : start + 500]))
        )
    if gone:
        unpublish(db)
    return len(gone)


register(PersonalData("observatory", export=_export, erase=_erase, purge=prune))
