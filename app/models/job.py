"""Background jobs: one row per (kind, subject, due), so each happens once; packs of letters
made in the background."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, new_id, sealed_column, utcnow


class Job(SQLModel, table=True):
    __tablename__ = "job"
    __table_args__ = (UniqueConstraint("kind", "subject", "due", name="uq_job_kind_subject_due"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    kind: str = Field(max_length=40)
    subject: str = Field(max_length=64)
    due: str = Field(max_length=32)
    run_after: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = 0
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PackJob(SQLModel, table=True):
    """A pack of letters made in the background: its progress, then its file, until it expires
    (with the drafts). Either instance may run it; the lease says which one does."""

    __tablename__ = "pack_job"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    state: str = Field(default="queued", max_length=16, index=True)  # queued running done failed
    format: str = Field(max_length=8)
    total: int
    done: int = 0
    payload: bytes = Field(sa_column=sealed_column(nullable=False))
    result: bytes | None = Field(default=None, sa_column=sealed_column())
    error: str | None = Field(default=None, max_length=32)  # a code, shown translated
    session_id: uuid.UUID | None = Field(
        default=None,
        sa_column=Column(
            ForeignKey("web_session.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    user_id: uuid.UUID | None = Field(
        default=None,
        sa_column=Column(
            ForeignKey("user_account.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    attempts: int = 0
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
