"""Who may see what: owner, association staff, valid mandate. Deny unless a rule allows.

Pure decisions over rows; app.authorisation applies them to every route in one place.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.errors import Forbidden
from app.models.account import User
from app.models.organisation import Mandate, PatientFile, StaffRole, StoredLetter
from app.organisations.mandates import Cover, MandateScope
from app.security.fields import unseal

ADMIN = "admin"
HELPER = "helper"


@dataclass(frozen=True)
class Actor:
    """The person behind a request (None when anonymous) and their association role."""

    user: User | None
    staff: StaffRole | None = None

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    @property
    def user_id(self) -> uuid.UUID:
        if self.user is None:
            raise Forbidden()
        return self.user.id

    @property
    def is_staff(self) -> bool:
        return self.staff is not None

    @property
    def is_admin(self) -> bool:
        return self.staff is not None and self.staff.role == ADMIN

    @property
    def association_id(self) -> uuid.UUID | None:
        return self.staff.association_id if self.staff else None


ANONYMOUS = Actor(None)


def actor_for(db: Session, user: User | None) -> Actor:
    if user is None:
        return ANONYMOUS
    staff = db.exec(select(StaffRole).where(StaffRole.user_id == user.id)).first()
    return Actor(user, staff)


def mandate_in_force(mandate: Mandate, today: date) -> bool:
    """Signed, not revoked, and today within its dates."""
    return (
        mandate.signed_on is not None
        and mandate.revoked_at is None
        and mandate.starts_on <= today <= mandate.ends_on
    )


def mandate_scope(mandate: Mandate) -> MandateScope:
    """What one mandate covers, as the member signed it."""
    return MandateScope.model_validate(unseal(mandate, "scope_sealed"))


def cover_for(db: Session, actor: Actor, file: PatientFile, today: date) -> Cover | None:
    """What `actor` may do for the member of `file`: the union of every mandate in force they
    hold for that member (None when they hold none). The one place this is decided."""
    if actor.user is None or not actor.is_staff or file.association_id != actor.association_id:
        return None
    mandates = db.exec(
        select(Mandate)
        .where(Mandate.file_id == file.id, Mandate.agent_user_id == actor.user.id)
        .order_by(col(Mandate.created_at))
    ).all()
    scopes = [mandate_scope(m) for m in mandates if mandate_in_force(m, today)]
    return Cover(scopes) if scopes else None


def _association_file(db: Session, actor: Actor, file_id: uuid.UUID) -> PatientFile:
    file = db.get(PatientFile, file_id)
    if file is None or file.association_id is None or file.association_id != actor.association_id:
        raise Forbidden()
    return file


def member_file(db: Session, actor: Actor, file_id: uuid.UUID, today: date) -> PatientFile:
    """A member's file as its association manages it (name, consent, mandates).

    Administrators of the association; a helper only while they hold a mandate in force for
    that member, or for the file they created until a mandate is signed.
    """
    if not actor.is_staff:
        raise Forbidden()
    file = _association_file(db, actor, file_id)
    if actor.is_admin or cover_for(db, actor, file, today) is not None:
        return file
    if file.created_by == actor.user_id and not _any_signed(db, file.id):
        return file
    raise Forbidden()


def _any_signed(db: Session, file_id: uuid.UUID) -> bool:
    return (
        db.exec(
            select(Mandate.id).where(
                Mandate.file_id == file_id, col(Mandate.signed_on).is_not(None)
            )
        ).first()
        is not None
    )


def mandated_file(
    db: Session, actor: Actor, file_id: uuid.UUID, today: date
) -> tuple[PatientFile, Cover]:
    """A member's data, reachable only through a mandate in force held by this person."""
    if not actor.is_staff:
        raise Forbidden()
    file = _association_file(db, actor, file_id)
    cover = cover_for(db, actor, file, today)
    if cover is None:
        raise Forbidden()
    return file, cover


def own_files(db: Session, actor: Actor) -> list[PatientFile]:
    """The files of the signed-in person: their own, and any member file opened to them."""
    return list(db.exec(_OWN_FILES, params={"user_id": actor.user_id}))


# Built once: the dashboard runs it on every view.
_OWN_FILES = (
    select(PatientFile)
    .where(col(PatientFile.user_id) == bindparam("user_id"))
    .order_by(col(PatientFile.created_at))
)


def own_letter(db: Session, actor: Actor, letter_id: uuid.UUID) -> StoredLetter:
    letter = db.get(StoredLetter, letter_id)
    if letter is None:
        raise Forbidden()
    file = db.get(PatientFile, letter.file_id)
    if file is None or file.user_id is None or file.user_id != actor.user_id:
        raise Forbidden()
    return letter


def mandated_letter(
    db: Session, actor: Actor, file_id: uuid.UUID, letter_id: uuid.UUID, today: date
) -> tuple[PatientFile, Cover, StoredLetter]:
    file, cover = mandated_file(db, actor, file_id, today)
    letter = db.get(StoredLetter, letter_id)
    if letter is None or letter.file_id != file.id:
        raise Forbidden()
    return file, cover, letter
