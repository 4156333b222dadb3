"""A one-time sign-in link by email: how the owner of an account gets in while sign-ins on it
are throttled (someone else was guessing), without waiting for the window to pass."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session

from app.accounts import emails, tokens
from app.accounts.users import SignInRefused, clean_email, find_by_email
from app.logs import who
from app.models.account import User
from app.models.base import utcnow
from app.security import throttle

logger = logging.getLogger("reprise.accounts")


def send_sign_in_link(
    db: Session, raw_email: str, address: str, now: datetime | None = None
) -> None:
    """Email a sign-in link when the address has an active, confirmed account; the answer is
    the same either way. Unknown addresses count toward the per-address limit."""
    email = clean_email(raw_email)
    hit = throttle.take_attempt(db, throttle.email_limit(), address, now or utcnow())
    if hit is None:
        raise SignInRefused("throttled")
    user = find_by_email(db, email)
    if user is None or user.disabled_at is not None or user.email_verified_at is None:
        return
    throttle.forget(db, hit)
    emails.send_sign_in_link(email, tokens.issue_token(db, user, tokens.SIGN_IN, now))
    logger.info("sign-in link sent %s", who(user.id, address))


def sign_in_with_link(
    db: Session, token: str, address: str, now: datetime | None = None
) -> User | None:
    """The account the link opens (used up), or None when unknown, used or expired."""
    user = tokens.consume_token(db, token, tokens.SIGN_IN, now)
    if user is None or user.disabled_at is not None:
        return None
    user.last_active_at = now or utcnow()
    db.add(user)
    db.flush()
    logger.info("sign-in by emailed link %s", who(user.id, address))
    return user
