"""The purge jobs: expired drafts and sessions, old throttling rows, unconfirmed and inactive
accounts (with a warning email first), and what features register (closed proceedings)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from app.accounts import emails
from app.accounts.sessions import purge_expired_sessions
from app.accounts.users import email_of
from app.config import get_settings
from app.jobs.runner import JobKind, Planned, register_kind
from app.models.account import AccountToken, User
from app.models.job import Job, PackJob
from app.models.organisation import Invitation
from app.models.session import Draft
from app.privacy.personal_data import delete_account, purge_registered
from app.security.throttle import purge_expired as purge_throttle


def _hourly(db: Session, now: datetime) -> Iterable[Planned]:
    return [Planned("all", now.strftime("%Y-%m-%dT%H"), now)]


def _purge_drafts(db: Session, subject: str, now: datetime) -> None:
    db.exec(delete(Draft).where(col(Draft.expires_at) <= now))
    db.exec(delete(PackJob).where(col(PackJob.expires_at) <= now))


def _purge_sessions(db: Session, subject: str, now: datetime) -> None:
    purge_expired_sessions(db, now)
    db.exec(delete(AccountToken).where(col(AccountToken.expires_at) <= now))
    db.exec(delete(Invitation).where(col(Invitation.expires_at) <= now))


def _purge_throttle(db: Session, subject: str, now: datetime) -> None:
    purge_throttle(db, now)


def _purge_unverified(db: Session, subject: str, now: datetime) -> None:
    cutoff = now - timedelta(days=get_settings().unverified_account_days)
    for user in db.exec(
        select(User).where(col(User.email_verified_at).is_(None), col(User.created_at) <= cutoff)
    ).all():
        delete_account(db, user)


def _purge_features(db: Session, subject: str, now: datetime) -> None:
    purge_registered(db, now)


def _purge_jobs(db: Session, subject: str, now: datetime) -> None:
    db.exec(delete(Job).where(col(Job.done_at) <= now - timedelta(days=30)))


def _inactivity() -> tuple[timedelta, timedelta]:
    settings = get_settings()
    return timedelta(days=settings.inactive_account_days), timedelta(
        days=settings.purge_warning_days
    )


def _purge_date(user: User) -> str:
    inactive, _warning = _inactivity()
    return (user.last_active_at + inactive).date().isoformat()


def _plan_warnings(db: Session, now: datetime) -> Iterable[Planned]:
    inactive, warning = _inactivity()
    users = db.exec(
        select(User).where(
            col(User.last_active_at) <= now - inactive + warning,
            col(User.purge_warned_at).is_(None),
            col(User.email_verified_at).is_not(None),
        )
    ).all()
    return [Planned(str(user.id), _purge_date(user), now) for user in users]


def _warn(db: Session, subject: str, now: datetime) -> None:
    user = db.get(User, uuid.UUID(subject))
    inactive, warning = _inactivity()
    if user is None or user.purge_warned_at is not None:
        return
    if user.last_active_at > now - inactive + warning:
        return  # signed in since the job was planned
    user.purge_warned_at = now
    db.add(user)
    db.flush()
    emails.send_purge_warning(email_of(user), warning.days)


def _plan_inactive_purges(db: Session, now: datetime) -> Iterable[Planned]:
    inactive, warning = _inactivity()
    users = db.exec(
        select(User).where(
            col(User.last_active_at) <= now - inactive,
            col(User.purge_warned_at) <= now - warning,
        )
    ).all()
    return [Planned(str(user.id), _purge_date(user), now) for user in users]


def _purge_inactive(db: Session, subject: str, now: datetime) -> None:
    user = db.get(User, uuid.UUID(subject))
    inactive, warning = _inactivity()
    if (
        user is None
        or user.purge_warned_at is None
        or user.last_active_at > now - inactive
        or user.purge_warned_at > now - warning
    ):
        return
    delete_account(db, user)


def register_purges() -> None:
    for name, run in (
        ("purge-drafts", _purge_drafts),
        ("purge-sessions", _purge_sessions),
        ("purge-throttle", _purge_throttle),
        ("purge-unverified-accounts", _purge_unverified),
        ("purge-features", _purge_features),
        ("purge-jobs", _purge_jobs),
    ):
        register_kind(JobKind(name, _hourly, run))
    register_kind(JobKind("inactive-account-warning", _plan_warnings, _warn))
    register_kind(JobKind("inactive-account-purge", _plan_inactive_purges, _purge_inactive))


register_purges()
