"""Accounts: people who sign in, their emailed tokens, and sign-in throttling."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, new_id, sealed_column, utcnow


class User(SQLModel, table=True):
    """An account. The email is sealed; look-ups go through its keyed blind index."""

    __tablename__ = "user_account"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    email_index: str = Field(max_length=64, unique=True)
    email_sealed: bytes = Field(sa_column=sealed_column(nullable=False))
    name_sealed: bytes | None = Field(default=None, sa_column=sealed_column())
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    email_verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_active_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    purge_warned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AccountToken(SQLModel, table=True):
    """A single-use token sent by email (address check, password reset); only its hash is kept."""

    __tablename__ = "account_token"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(
        sa_column=Column(
            ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    purpose: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)


class ThrottleHit(SQLModel, table=True):
    """One failed or costly attempt, keyed by an HMAC of the account or address; short-lived."""

    __tablename__ = "throttle_hit"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    bucket: str = Field(max_length=24)
    key_hash: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
