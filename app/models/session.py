"""Browser sessions (anonymous or signed in) and the drafts they carry."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, LargeBinary
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, new_id, utcnow


class WebSession(SQLModel, table=True):
    """A server-side session; the browser holds only a random token whose hash is kept here."""

    __tablename__ = "web_session"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    # Set when someone signs in; a new session (new token) is started at that moment.
    user_id: uuid.UUID | None = Field(
        default=None,
        sa_column=Column(
            ForeignKey("user_account.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    signed_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Draft(SQLModel, table=True):
    """What a person typed before any account: sealed, and purged when it expires."""

    __tablename__ = "draft"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    session_id: uuid.UUID = Field(
        sa_column=Column(
            ForeignKey("web_session.id", ondelete="CASCADE"), unique=True, nullable=False
        )
    )
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False, info={"sealed": True}))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
