"""The wizard's draft: what a person typed, sealed in the database until it expires."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import inspect
from sqlmodel import Session, select

from app.config import get_settings
from app.models.base import utcnow
from app.models.session import Draft, WebSession
from app.security.crypto import DecryptionError, get_keyring, open_json, seal_json


def load_draft(db: Session, session: WebSession | None) -> dict[str, Any]:
    """The session's draft data, or an empty draft (expired and unreadable drafts count as none)."""
    if session is None or inspect(session).transient:
        return {}  # a session not written yet has no draft
    draft = db.exec(select(Draft).where(Draft.session_id == session.id)).first()
    if draft is None or draft.expires_at <= utcnow():
        return {}
    try:
        data = open_json(get_keyring(), draft.payload, "draft", "payload", draft.id)
    except DecryptionError:
        return {}
    return data if isinstance(data, dict) else {}


def save_draft(db: Session, session: WebSession, data: dict[str, Any]) -> None:
    """Store the draft, sealed, for the configured time (REPRISE_DRAFT_TTL_HOURS)."""
    now = utcnow()
    expires = now + timedelta(hours=get_settings().draft_ttl_hours)
    draft = db.exec(select(Draft).where(Draft.session_id == session.id)).first()
    if draft is None:
        draft = Draft(session_id=session.id, payload=b"", expires_at=expires, created_at=now)
    draft.payload = seal_json(get_keyring(), data, "draft", "payload", draft.id)
    draft.updated_at = now
    draft.expires_at = expires
    db.add(draft)
    db.flush()


def update_draft(db: Session, session: WebSession, **changes: Any) -> dict[str, Any]:
    data = load_draft(db, session)
    data.update(changes)
    save_draft(db, session, data)
    return data
