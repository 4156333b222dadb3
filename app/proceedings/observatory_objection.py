"""A person's objection to their requests counting in the observatory's figures (GDPR art. 21):
their own choice on /compte/rappels, or, for a member followed by an association without an
account of their own, the objection the member told the association, recorded on the member's
file by one of its administrators. The member who later gets an account finds it on
/compte/rappels, and may change it there."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models.base import utcnow
from app.models.organisation import PatientFile
from app.observatory.facts import forget_person, pseudonym
from app.organisations.access import Actor
from app.organisations.audit import AuditAction, record_access
from app.organisations.invitations import on_file_linked
from app.proceedings.observatory import facts_from_scratch
from app.proceedings.preferences import preferences_of


def _count_again(db: Session, file_ids: list[uuid.UUID]) -> None:
    """The rows of these files as the proceedings give them now (none for an objection)."""
    for fact in facts_from_scratch(db, file_ids):
        db.merge(fact)
    db.flush()


def record_member_objection(db: Session, actor: Actor, file: PatientFile, objected: bool) -> None:
    """The member objects (their rows leave the figures at once, the published cells are made
    again without them) or withdraws the objection (their rows come back, counted from the next
    month's publication), as the administrator `actor` records it; the member's access log says
    so. For a file without an account only: a member with one decides on /compte/rappels.
    Nothing is written when the file already says so."""
    if file.user_id is not None:
        raise ValueError("the member decides on their own account")
    if objected == (file.observatory_objected_at is not None):
        return
    action = AuditAction.OBSERVATORY_OBJECTED if objected else AuditAction.OBSERVATORY_WITHDRAWN
    record_access(db, actor, file, action)
    file.observatory_objected_at = utcnow() if objected else None
    db.add(file)
    db.flush()
    forget_person(db, pseudonym("file", file.id))
    if not objected:
        _count_again(db, [file.id])


def recorded_objection(db: Session, user_id: uuid.UUID) -> dt.datetime | None:
    """When an association recorded the objection on one of the person's files, if it did."""
    return db.exec(
        select(PatientFile.observatory_objected_at)
        .where(
            col(PatientFile.user_id) == user_id,
            col(PatientFile.observatory_objected_at).is_not(None),
        )
        .order_by(col(PatientFile.observatory_objected_at))
        .limit(1)
    ).first()


def clear_recorded_objections(db: Session, user_id: uuid.UUID) -> None:
    """The person lets their requests count: an objection recorded for them is withdrawn."""
    db.execute(
        update(PatientFile)
        .where(
            col(PatientFile.user_id) == user_id,
            col(PatientFile.observatory_objected_at).is_not(None),
        )
        .values(observatory_objected_at=None)
    )
    db.flush()


@on_file_linked
def file_linked(db: Session, file: PatientFile) -> None:
    """The member reached their file with their own account: an objection recorded on it
    becomes the account's choice (shown, and changed, on /compte/rappels), and the file's rows
    are counted under the person (one person, whichever file a request is in)."""
    assert file.user_id is not None
    if file.observatory_objected_at is not None:
        preference = preferences_of(db, file.user_id)
        preference.observatory = False
        db.add(preference)
        db.flush()
        forget_person(db, pseudonym("user", file.user_id))
    forget_person(db, pseudonym("file", file.id))
    _count_again(db, [file.id])
