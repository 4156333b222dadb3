"""A one-time sign-in link by email: how the owner of an account gets in while sign-ins on it
are throttled (someone else was guessing), without waiting for the window to pass."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session

from app.accounts import emails, tokens
from app.accounts.users import (
    EmailRequest,
    accept_email_request,
    find_by_email,
    not_a_failure,
)
from app.logs import who
from app.models.account import User
from app.models.base import utcnow

logger = logging.getLogger("reprise.accounts")


def request_sign_in_link(
    db: Session, raw_email: str, address: str, now: datetime | None = None
) -> EmailRequest:
    """The form, accepted: the same work for every address; `finish_sign_in_link` sends the
    link after the answer."""
    return accept_email_request(db, raw_email, address, now)


def finish_sign_in_link(db: Session, request: EmailRequest) -> None:
    """Email a sign-in link when the address has an active, confirmed account; nothing
    otherwise. Unknown addresses count toward the per-address limit."""
    user = find_by_email(db, request.email)
    if user is None or user.disabled_at is not None or user.email_verified_at is None:
        return
    not_a_failure(db, request)
    token = tokens.issue_token(db, user, tokens.SIGN_IN, request.at)
    emails.send_sign_in_link(request.email, token)
    logger.info("sign-in link sent %s", who(user.id, request.address))


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
