"""Single-use tokens sent by email; the database keeps only their SHA-256."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from app.models.account import AccountToken, User
from app.models.base import utcnow
from app.security.crypto import token_hash

VERIFY = "verify"
RESET = "reset"
SIGN_IN = "signin"
LIFETIMES = {VERIFY: timedelta(hours=48), RESET: timedelta(hours=1), SIGN_IN: timedelta(minutes=15)}


def issue_token(db: Session, user: User, purpose: str, now: datetime | None = None) -> str:
    """A new token for `purpose`; earlier ones of the same purpose stop working."""
    now = now or utcnow()
    db.exec(
        delete(AccountToken).where(
            col(AccountToken.user_id) == user.id, col(AccountToken.purpose) == purpose
        )
    )
    token = secrets.token_urlsafe(32)
    db.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    db.flush()
    return token


def peek_token(db: Session, token: str, purpose: str, now: datetime | None = None) -> User | None:
    """The account a live token belongs to, without using it up."""
    if not token or len(token) > 128:
        return None
    row = db.exec(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(token), AccountToken.purpose == purpose
        )
    ).first()
    if row is None or row.expires_at <= (now or utcnow()):
        return None
    return db.get(User, row.user_id)


def consume_token(
    db: Session, token: str, purpose: str, now: datetime | None = None
) -> User | None:
    """Use a token once: the account it belongs to, or None when unknown, used or expired."""
    user = peek_token(db, token, purpose, now)
    if user is None:
        return None
    db.exec(delete(AccountToken).where(col(AccountToken.token_hash) == token_hash(token)))
    db.flush()
    return user
