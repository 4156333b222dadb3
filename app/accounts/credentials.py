"""Every credential of an account ends together: browser sessions, personal API tokens, the
private calendar feed's secret address. A password change, a reset and "sign out everywhere"
all call `end_credentials` (ASVS 7.4.3), so none of them outlives what its owner ended."""

from __future__ import annotations

import logging
import uuid

from sqlmodel import Session, col, delete, select

from app.accounts.sessions import end_user_sessions
from app.models.proceeding import ApiToken, TrackingPreference

logger = logging.getLogger("reprise.accounts")


def end_credentials(db: Session, user_id: uuid.UUID, keep: uuid.UUID | None = None) -> None:
    """Sign out everywhere (but the session `keep`), revoke every API token, and retire the
    calendar feed's address (the person makes a new one, shown once, when they want it)."""
    end_user_sessions(db, user_id, keep)
    db.exec(delete(ApiToken).where(col(ApiToken.user_id) == user_id))
    preference = db.exec(
        select(TrackingPreference).where(TrackingPreference.user_id == user_id)
    ).first()
    if preference is not None and preference.feed_token_hash is not None:
        preference.feed_token_hash = None
        preference.feed_created_at = None
        db.add(preference)
    db.flush()
    logger.info("credentials ended")
