"""Proceedings (one right exercised toward one platform), their owners' tracking preferences,
and personal API tokens.

What reveals health (the platform, the right, every event with its dates and references) is
sealed in `content_sealed` and `events_sealed`. Only what the dashboard and the reminder scan
need stays plain: the status, the due date, the next reminder, the ids.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index
from sqlalchemy import true as sa_true
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, new_id, sealed_column, utcnow


class Proceeding(SQLModel, table=True):
    __tablename__ = "proceeding"
    __table_args__ = (
        # The dashboard: a file's proceedings, open ones first, by due date.
        Index("ix_proceeding_file_status_due", "file_id", "status", "due_on"),
        # The reminder scan: open proceedings whose next reminder is due.
        Index("ix_proceeding_next_reminder", "next_reminder_on", "status"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    file_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("patient_file.id", ondelete="CASCADE"), nullable=False)
    )
    status: str = Field(max_length=16)
    due_on: date | None = None
    next_reminder_on: date | None = None
    next_reminder: str | None = Field(default=None, max_length=8)
    # {"platform": slug, "right": kind, "options": {...}} of the first letter.
    content_sealed: bytes = Field(sa_column=sealed_column(nullable=False))
    # The list of recorded events, oldest first.
    events_sealed: bytes = Field(sa_column=sealed_column(nullable=False))
    created_by: uuid.UUID | None = Field(
        default=None,
        sa_column=Column(ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)


class TrackingPreference(SQLModel, table=True):
    """How a person wants to be reminded: emails on or off, their language, the calendar feed."""

    __tablename__ = "tracking_preference"

    user_id: uuid.UUID = Field(
        sa_column=Column(
            ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    reminders: bool = True
    locale: str = Field(default="fr", max_length=2)
    # The private calendar feed: only the hash of its secret address is kept.
    feed_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    feed_names: bool = False
    feed_created_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Whether the person's requests count in the observatory's anonymous figures (on by
    # default, as the privacy page says: GDPR art. 6(4) and 89; they may object at any time).
    observatory: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})


class ApiToken(SQLModel, table=True):
    """A personal API token, shown once; only its hash is kept."""

    __tablename__ = "api_token"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(
        sa_column=Column(
            ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    token_hash: str = Field(max_length=64, unique=True)
    label_sealed: bytes = Field(sa_column=sealed_column(nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
