"""Quotas on rendering: how many letters one address (without an account) or one account may
have rendered per hour, counted in the database so that every instance sees every render."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from app.errors import Throttled
from app.i18n import gettext as _
from app.security.throttle import render_limits, take_attempt

RETRY_AFTER_SECONDS = 600


def charge_renders(
    db: Session, letters: int, address: str, user_id: uuid.UUID | None, now: datetime
) -> None:
    """Count `letters` renders against the account when signed in, else against the address;
    raise Throttled past the quota (the caller's transaction rolls the count back).

    The count is committed at once: the lock that makes it exact (SQLite's write lock, an
    advisory lock on PostgreSQL) must not be held while the letters render."""
    by_address, by_account = render_limits()
    limit, key = (by_account, str(user_id)) if user_id else (by_address, address)
    if take_attempt(db, limit, key, now, weight=max(1, letters)) is None:
        error = Throttled(
            _(
                "Vous avez fait fabriquer beaucoup de lettres en peu de temps. Attendez "
                "quelques minutes, puis réessayez."
            )
        )
        error.retry_after = RETRY_AFTER_SECONDS
        raise error
    db.commit()
