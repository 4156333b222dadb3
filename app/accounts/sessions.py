"""Server-side browser sessions: random tokens, kept hashed, with idle and absolute expiry."""

from __future__ import annotations

import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, event, insert
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, delete, select

from app.config import get_settings
from app.models.account import User
from app.models.base import utcnow
from app.models.organisation import StaffRole
from app.models.session import Draft, WebSession
from app.security.crypto import derive_key, token_hash

ABSOLUTE_LIFETIME = timedelta(days=7)
IDLE_TIMEOUT = timedelta(hours=12)
# Touch last_seen at most this often, so page views do not all write.
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class Started:
    session: WebSession
    token: str


def start_session(
    db: Session,
    now: datetime | None = None,
    user_id: uuid.UUID | None = None,
    token: str | None = None,
    pending: bool = False,
) -> Started:
    """Create a session; the caller hands `token` to the browser, the database keeps its hash.

    A `pending` session is written only by the first flush of this request that writes
    anything (a draft, ...): showing a form needs the browser's token, not a row."""
    now = now or utcnow()
    token = token or secrets.token_urlsafe(32)
    session = WebSession(
        token_hash=token_hash(token),
        created_at=now,
        last_seen_at=now,
        expires_at=now + ABSOLUTE_LIFETIME,
        user_id=user_id,
        signed_in_at=now if user_id else None,
    )
    if pending:
        db.info[PENDING] = session
        return Started(session, token)
    db.add(session)
    db.flush()
    return Started(session, token)


PENDING = "reprise_pending_session"
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


@event.listens_for(OrmSession, "before_flush")
def _write_pending_session(db: OrmSession, _context: Any, _instances: Any) -> None:
    pending = db.info.pop(PENDING, None)
    if pending is None:
        return
    # Written first, on its own: rows of this flush (a draft) refer to it.
    table = WebSession.__table__  # type: ignore[attr-defined]
    db.connection().execute(
        insert(table).values({column.name: getattr(pending, column.name) for column in table.c})
    )
    make_transient_to_detached(pending)
    db.add(pending)


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _forget_pending_session(db: OrmSession) -> None:
    # Unwritten by the end of its request: the form was shown, nothing stored; no row.
    db.info.pop(PENDING, None)


def adoptable_token(db: Session, token: str | None) -> str | None:
    """The token a browser was given with a form, when no session row holds it yet: its first
    form sent creates the row under that token (so the form's CSRF token stays valid)."""
    if not token or not TOKEN_SHAPE.fullmatch(token):
        return None
    taken = db.exec(select(WebSession.id).where(WebSession.token_hash == token_hash(token))).first()
    return None if taken is not None else token


# Built once: every signed-in request runs it, and building the statement cost about as much
# CPU as running it.
_SESSION_WITH_ACTOR = (
    select(WebSession, User, StaffRole)
    .outerjoin(User, col(User.id) == col(WebSession.user_id))
    .outerjoin(StaffRole, col(StaffRole.user_id) == col(User.id))
    .where(col(WebSession.token_hash) == bindparam("token_hash"))
)


def find_session_with_actor(
    db: Session, token: str | None, now: datetime | None = None
) -> tuple[WebSession, User | None, StaffRole | None] | None:
    """The live session of `token`, its person and their association role, in one query; None
    when unknown, expired, idle too long, or its person is gone or disabled."""
    if not token or len(token) > 128:
        return None
    now = now or utcnow()
    row = db.exec(_SESSION_WITH_ACTOR, params={"token_hash": token_hash(token)}).first()
    if row is None:
        return None
    session, user, staff = row
    if session.expires_at <= now or session.last_seen_at + IDLE_TIMEOUT <= now:
        return None
    if session.user_id is not None and (user is None or user.disabled_at is not None):
        return None
    if now - session.last_seen_at >= TOUCH_EVERY:
        session.last_seen_at = now
        db.add(session)
    return session, user, staff


def find_session(db: Session, token: str | None, now: datetime | None = None) -> WebSession | None:
    """The live session of `token`, or None when unknown, expired or idle too long."""
    found = find_session_with_actor(db, token, now)
    return None if found is None else found[0]


def end_session(db: Session, session: WebSession) -> None:
    db.delete(session)
    db.flush()


def sign_in_session(
    db: Session, previous: WebSession | None, user: User, now: datetime | None = None
) -> Started:
    """A new session (new token) for a person who just signed in; the old one ends.

    A letter draft started before signing in follows the person into the new session.
    """
    started = start_session(db, now, user_id=user.id)
    if previous is not None:
        draft = db.exec(select(Draft).where(Draft.session_id == previous.id)).first()
        if draft is not None:
            draft.session_id = started.session.id
            db.add(draft)
            db.flush()
        end_session(db, previous)
    return started


def end_user_sessions(db: Session, user_id: uuid.UUID, keep: uuid.UUID | None = None) -> int:
    """Sign a person out everywhere (except the session `keep`)."""
    query = delete(WebSession).where(col(WebSession.user_id) == user_id)
    if keep is not None:
        query = query.where(col(WebSession.id) != keep)
    result = db.exec(query)
    db.flush()
    return int(result.rowcount or 0)


def purge_expired_sessions(db: Session, now: datetime | None = None) -> int:
    """Delete sessions past their absolute or idle expiry (their drafts go with them)."""
    now = now or utcnow()
    stale = select(WebSession.id).where(
        (col(WebSession.expires_at) <= now) | (col(WebSession.last_seen_at) <= now - IDLE_TIMEOUT)
    )
    ids = list(db.exec(stale))
    if not ids:
        return 0
    db.exec(delete(Draft).where(col(Draft.session_id).in_(ids)))
    db.exec(delete(WebSession).where(col(WebSession.id).in_(ids)))
    db.flush()
    return len(ids)


@lru_cache(maxsize=1)
def _csrf_key() -> bytes:
    return derive_key(get_settings().secret_key.get_secret_value(), "csrf")


def csrf_token_for(session_token: str) -> str:
    """The form token bound to one session (synchronizer token derived from it)."""
    return hmac.new(_csrf_key(), session_token.encode(), "sha256").hexdigest()


def csrf_token_valid(session_token: str | None, sent: str | None) -> bool:
    if not session_token or not sent:
        return False
    return hmac.compare_digest(csrf_token_for(session_token), sent)
