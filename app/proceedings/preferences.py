"""A person's tracking preferences: reminder emails, their language, the private calendar feed."""

from __future__ import annotations

import secrets

from sqlmodel import Session, select

from app.i18n import LOCALES
from app.models.account import User
from app.models.base import utcnow
from app.models.proceeding import TrackingPreference
from app.security.crypto import token_hash


def preferences_of(db: Session, user_id: object) -> TrackingPreference:
    """The person's preferences (defaults when none were saved: reminders on, French)."""
    found = db.get(TrackingPreference, user_id)
    return found if found is not None else TrackingPreference(user_id=user_id)  # type: ignore[arg-type]


def save(
    db: Session, user: User, *, reminders: bool, locale: str, feed_names: bool
) -> TrackingPreference:
    preference = preferences_of(db, user.id)
    preference.reminders = reminders
    preference.locale = locale if locale in LOCALES else "fr"
    preference.feed_names = feed_names
    db.add(preference)
    db.flush()
    return preference


def remember_locale(db: Session, user: User, locale: str) -> None:
    """Reminders are written in the language the person last used to track a request."""
    preference = preferences_of(db, user.id)
    if locale in LOCALES and preference.locale != locale:
        preference.locale = locale
        db.add(preference)
        db.flush()


def new_feed(db: Session, user: User) -> str:
    """A new secret feed address (any previous one stops working); returned once."""
    secret = secrets.token_urlsafe(32)
    preference = preferences_of(db, user.id)
    preference.feed_token_hash = token_hash(secret)
    preference.feed_created_at = utcnow()
    db.add(preference)
    db.flush()
    return secret


def revoke_feed(db: Session, user: User) -> None:
    preference = preferences_of(db, user.id)
    preference.feed_token_hash = None
    preference.feed_created_at = None
    db.add(preference)
    db.flush()


def feed_owner(db: Session, secret: str) -> tuple[User, TrackingPreference] | None:
    """Whose feed `secret` opens, or None (unknown, revoked, disabled account)."""
    if not secret or len(secret) > 128:
        return None
    preference = db.exec(
        select(TrackingPreference).where(TrackingPreference.feed_token_hash == token_hash(secret))
    ).first()
    if preference is None:
        return None
    user = db.get(User, preference.user_id)
    if user is None or user.disabled_at is not None:
        return None
    return user, preference
