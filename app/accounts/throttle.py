"""Sign-in throttling per account and per address, in the database (holds across instances).

Keys are keyed hashes (HMAC) of the account's email and the network address; rows are deleted
once the window has passed (the purge job), so addresses are kept briefly and never in clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from app.config import get_settings
from app.models.account import ThrottleHit
from app.models.base import utcnow
from app.security.fields import throttle_key


@dataclass(frozen=True)
class Limit:
    bucket: str
    attempts: int
    window: timedelta


def login_limits() -> tuple[Limit, Limit]:
    settings = get_settings()
    window = timedelta(minutes=settings.login_window_minutes)
    return (
        Limit("login-account", settings.login_failures_per_account, window),
        Limit("login-address", settings.login_failures_per_address, window),
    )


def email_limit() -> Limit:
    """Emails a single address may make Reprise send (sign-up, reset) per window."""
    return Limit("email-address", 10, timedelta(minutes=get_settings().login_window_minutes))


def _count(db: Session, limit: Limit, key: str, now: datetime) -> int:
    return int(
        db.exec(
            select(func.count())
            .select_from(ThrottleHit)
            .where(
                ThrottleHit.bucket == limit.bucket,
                ThrottleHit.key_hash == key,
                ThrottleHit.at > now - limit.window,
            )
        ).one()
    )


def blocked(db: Session, limit: Limit, value: str, now: datetime | None = None) -> bool:
    """True when `value` has used up its attempts in the window."""
    now = now or utcnow()
    return _count(db, limit, throttle_key(limit.bucket, value), now) >= limit.attempts


def record(db: Session, limit: Limit, value: str, now: datetime | None = None) -> None:
    db.add(
        ThrottleHit(
            bucket=limit.bucket, key_hash=throttle_key(limit.bucket, value), at=now or utcnow()
        )
    )
    db.flush()


def clear(db: Session, limit: Limit, value: str) -> None:
    db.exec(
        delete(ThrottleHit).where(
            col(ThrottleHit.bucket) == limit.bucket,
            col(ThrottleHit.key_hash) == throttle_key(limit.bucket, value),
        )
    )


def purge_expired(db: Session, now: datetime | None = None) -> int:
    """Forget attempts older than the longest window."""
    now = now or utcnow()
    longest = max(limit.window for limit in (*login_limits(), email_limit()))
    result = db.exec(delete(ThrottleHit).where(col(ThrottleHit.at) <= now - longest))
    return int(result.rowcount or 0)
