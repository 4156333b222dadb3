"""What tracking holds on a person, for "Mes données", account deletion and the purge of
closed proceedings (security.md item 20)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, delete, select

from app.accounts.api_tokens import label_of, tokens_of
from app.clock import today
from app.config import get_settings
from app.models.account import User
from app.models.organisation import PatientFile
from app.models.proceeding import ApiToken, Proceeding, TrackingPreference
from app.organisations.access import actor_for, own_files
from app.patients.files import letter_content
from app.privacy.personal_data import PersonalData, register
from app.proceedings.service import letters_of_proceeding, listing, view_of


def _export(db: Session, user: User) -> tuple[dict[str, Any], dict[str, bytes]]:
    files = [file.id for file in own_files(db, actor_for(db, user))]
    day = today()
    proceedings = []
    for proceeding in listing(db, files, limit=100_000):
        view = view_of(proceeding, day)
        proceedings.append(
            {
                "id": str(proceeding.id),
                "file_id": str(proceeding.file_id),
                "platform": view.platform,
                "organisation": view.organisation,
                "recipient_name": view.recipient_name,
                "right": view.right,
                "status": view.facts.state,
                "due": view.due.day.isoformat() if view.due.day else None,
                "due_basis": view.due.basis,
                "receipt_estimated": view.due.estimated,
                "next_step": view.step.code,
                "created_at": proceeding.created_at.isoformat(),
                "events": [
                    e.model_dump(mode="json", exclude_defaults=True) for e in view.facts.events
                ],
                "letters": [
                    {"id": str(letter.id), "kind": letter_content(letter).get("kind")}
                    for letter in letters_of_proceeding(db, proceeding)
                ],
            }
        )
    preference = db.get(TrackingPreference, user.id)
    return (
        {
            "proceedings": proceedings,
            "reminders": {
                "emails": preference.reminders if preference else True,
                "language": preference.locale if preference else "fr",
                "calendar_feed": bool(preference and preference.feed_token_hash),
                "calendar_names": bool(preference and preference.feed_names),
            },
            "api_tokens": [
                {
                    "label": label_of(token),
                    "created_at": token.created_at.isoformat(),
                    "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                }
                for token in tokens_of(db, user)
            ],
        },
        {},
    )


def _erase(db: Session, user: User) -> None:
    own = db.exec(select(PatientFile.id).where(PatientFile.user_id == user.id)).all()
    if own:
        db.exec(delete(Proceeding).where(col(Proceeding.file_id).in_(own)))
    db.exec(delete(ApiToken).where(col(ApiToken.user_id) == user.id))
    db.exec(delete(TrackingPreference).where(col(TrackingPreference.user_id) == user.id))


def purge_closed(db: Session, now: dt.datetime) -> int:
    """Closed proceedings older than REPRISE_CLOSED_PROCEEDING_DAYS go, with their letters."""
    cutoff = now - dt.timedelta(days=get_settings().closed_proceeding_days)
    result = db.exec(
        delete(Proceeding).where(
            col(Proceeding.status) == "closed", col(Proceeding.closed_at) <= cutoff
        )
    )
    return int(result.rowcount or 0)


register(PersonalData("tracking", export=_export, erase=_erase, purge=purge_closed))
