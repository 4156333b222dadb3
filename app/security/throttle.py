"""Sign-in throttling per account and per address, in the database (holds across instances).

Keys are keyed hashes (HMAC) of the account's email and the network address; rows are deleted
once the window has passed (the purge job), so addresses are kept briefly and never in clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, text
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


def account_ceiling() -> Limit:
    """Failed sign-ins on one account from every address together (ten times the failures one
    address may make): the owner, elsewhere, is still let in by the emailed link."""
    account, _address = login_limits()
    return Limit("login-account-all", account.attempts * 10, account.window)


def reauth_limits() -> tuple[Limit, Limit]:
    """Wrong passwords typed again while signed in, per account and per address."""
    account, address = login_limits()
    return (
        Limit("reauth-account", account.attempts, account.window),
        Limit("reauth-address", address.attempts, address.window),
    )


def email_limit() -> Limit:
    """Failed sign-ups and resets (the address has an account already, or has none) one
    network address may make per window; new accounts do not count."""
    return Limit("email-address", 10, timedelta(minutes=get_settings().login_window_minutes))


def render_limits() -> tuple[Limit, Limit]:
    """Letters rendered per hour: per address for anonymous people, per account otherwise."""
    settings = get_settings()
    hour = timedelta(hours=1)
    return (
        Limit("render-address", settings.render_letters_per_address, hour),
        Limit("render-account", settings.render_letters_per_account, hour),
    )


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


def record(
    db: Session, limit: Limit, value: str, now: datetime | None = None, weight: int = 1
) -> ThrottleHit:
    """Count `weight` attempts (a pack of letters counts each letter); returns the first."""
    key = throttle_key(limit.bucket, value)
    hits = [
        ThrottleHit(bucket=limit.bucket, key_hash=key, at=now or utcnow()) for _ in range(weight)
    ]
    db.add_all(hits)
    db.flush()
    return hits[0]


def take_attempt(
    db: Session, limit: Limit, value: str, now: datetime, weight: int = 1
) -> ThrottleHit | None:
    """Count this attempt before it is checked, then see whether it is over the limit.

    Simultaneous attempts cannot all pass a check made before any of them is counted: the
    attempt is written first, under a lock held until the request's transaction ends (an
    advisory lock on PostgreSQL; on SQLite the insert takes the database's write lock), so each
    attempt sees every earlier one. Returns the hit, or None when over the limit (the caller
    refuses, and its rolled-back transaction leaves no row for the refused attempt)."""
    key = throttle_key(limit.bucket, value)
    bind = db.get_bind()
    if bind.dialect.name == "postgresql":
        db.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"{limit.bucket}:{key}"},
        )
    hit = record(db, limit, value, now, weight)
    if _count(db, limit, key, now) > limit.attempts:
        return None
    return hit


def forget(db: Session, hit: ThrottleHit) -> None:
    """Take back an attempt that turned out not to be a failure."""
    db.delete(hit)
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
    longest = max(
        limit.window
        for limit in (
            *login_limits(),
            *reauth_limits(),
            account_ceiling(),
            email_limit(),
            *render_limits(),
        )
    )
    result = db.exec(delete(ThrottleHit).where(col(ThrottleHit.at) <= now - longest))
    return int(result.rowcount or 0)
