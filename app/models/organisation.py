"""Patient files, associations, their staff, mandates, the audit trail and stored letters.

A patient file belongs to a person (`user_id`, their own account) and/or to an association
that follows them as a member (`association_id`). Later features (proceedings) hang off
`patient_file.id`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, new_id, sealed_column, utcnow


def _fk(target: str, ondelete: str, nullable: bool = True, index: bool = True) -> Column:  # type: ignore[type-arg]
    return Column(ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


class Association(SQLModel, table=True):
    """A patient association; its name can reveal a condition, so it is sealed."""

    __tablename__ = "association"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name_sealed: bytes = Field(sa_column=sealed_column(nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class StaffRole(SQLModel, table=True):
    """A person's role in an association: `admin` or `helper` (one association per account)."""

    __tablename__ = "staff_role"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    association_id: uuid.UUID = Field(sa_column=_fk("association.id", "CASCADE", nullable=False))
    user_id: uuid.UUID = Field(
        sa_column=Column(
            ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    role: str = Field(max_length=8)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Invitation(SQLModel, table=True):
    """An emailed invitation: to join an association as staff, or to reach one's member file."""

    __tablename__ = "invitation"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    association_id: uuid.UUID = Field(sa_column=_fk("association.id", "CASCADE", nullable=False))
    role: str = Field(max_length=8)  # admin, helper or member
    file_id: uuid.UUID | None = Field(default=None, sa_column=_fk("patient_file.id", "CASCADE"))
    email_sealed: bytes = Field(sa_column=sealed_column(nullable=False))
    token_hash: str = Field(max_length=64, unique=True)
    invited_by: uuid.UUID | None = Field(default=None, sa_column=_fk("user_account.id", "SET NULL"))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)


class PatientFile(SQLModel, table=True):
    """What Reprise holds about one patient: identity, platforms used, notes (all sealed)."""

    __tablename__ = "patient_file"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID | None = Field(default=None, sa_column=_fk("user_account.id", "CASCADE"))
    association_id: uuid.UUID | None = Field(
        default=None, sa_column=_fk("association.id", "CASCADE")
    )
    identity_sealed: bytes | None = Field(default=None, sa_column=sealed_column())
    platforms_sealed: bytes | None = Field(default=None, sa_column=sealed_column())
    notes_sealed: bytes | None = Field(default=None, sa_column=sealed_column())
    # For members: the consent the member gave to be followed, as recorded by a helper.
    consent_sealed: bytes | None = Field(default=None, sa_column=sealed_column())
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # For a member without an account: when the association recorded the member's objection
    # to their requests counting in the observatory's figures (GDPR art. 21). Once the member
    # has an account, they see it on /compte/rappels and decide there.
    observatory_objected_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: uuid.UUID | None = Field(default=None, sa_column=_fk("user_account.id", "SET NULL"))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Mandate(SQLModel, table=True):
    """A member's mandate to the association, exercised by one helper (the agent)."""

    __tablename__ = "mandate"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    file_id: uuid.UUID = Field(sa_column=_fk("patient_file.id", "CASCADE", nullable=False))
    agent_user_id: uuid.UUID | None = Field(
        default=None, sa_column=_fk("user_account.id", "SET NULL")
    )
    # Rights, platforms, data concerned, who receives the answers: sealed (they reveal health).
    scope_sealed: bytes = Field(sa_column=sealed_column(nullable=False))
    starts_on: date
    ends_on: date
    signed_on: date | None = None
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: uuid.UUID | None = Field(default=None, sa_column=_fk("user_account.id", "SET NULL"))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuditEntry(SQLModel, table=True):
    """One access by a helper to a member's data: who, when, what. The member can read it."""

    __tablename__ = "audit_entry"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    file_id: uuid.UUID = Field(sa_column=_fk("patient_file.id", "CASCADE", nullable=False))
    actor_user_id: uuid.UUID | None = Field(
        default=None, sa_column=_fk("user_account.id", "SET NULL")
    )
    # Who, as the member should read it (the helper's name then), sealed.
    actor_sealed: bytes | None = Field(default=None, sa_column=sealed_column())
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    action: str = Field(max_length=32)
    detail_sealed: bytes | None = Field(default=None, sa_column=sealed_column())


class StoredLetter(SQLModel, table=True):
    """A letter kept in a file: what it was made from (sealed); the PDF is made again on demand."""

    __tablename__ = "stored_letter"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    file_id: uuid.UUID = Field(sa_column=_fk("patient_file.id", "CASCADE", nullable=False))
    # The proceeding the letter belongs to, if it is tracked (its letters go with it).
    proceeding_id: uuid.UUID | None = Field(default=None, sa_column=_fk("proceeding.id", "CASCADE"))
    content_sealed: bytes = Field(sa_column=sealed_column(nullable=False))
    created_by: uuid.UUID | None = Field(default=None, sa_column=_fk("user_account.id", "SET NULL"))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
