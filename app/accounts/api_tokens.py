"""Personal API tokens: made in the account pages, shown once, kept hashed, sent as
`Authorization: Bearer ...`. A token acts as its owner, through the same gate as pages."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.errors import Forbidden, Invalid
from app.i18n import gettext as _
from app.models.account import User
from app.models.base import utcnow
from app.models.proceeding import ApiToken
from app.security.crypto import token_hash
from app.security.fields import seal, unseal

PREFIX = "rpr_"
MAX_TOKENS = 20
TOUCH_EVERY = timedelta(minutes=5)


def create_token(db: Session, user: User, label: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the secret is returned once and never stored."""
    label = label.strip()
    if not label:
        raise Invalid(
            {"label": _("Donnez un nom à ce jeton, par exemple « script de l'association ».")}
        )
    if len(label) > 80:
        raise Invalid({"label": _("Ce texte est trop long : %(max)s caractères au plus.", max=80)})
    if len(tokens_of(db, user)) >= MAX_TOKENS:
        raise Invalid(
            {"label": _("Vous avez déjà %(max)s jetons : supprimez-en un d'abord.", max=MAX_TOKENS)}
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, token_hash=token_hash(secret), label_sealed=b"")
    token.label_sealed = seal(token, "label_sealed", label)
    db.add(token)
    db.flush()
    return token, secret


def tokens_of(db: Session, user: User) -> list[ApiToken]:
    return list(
        db.exec(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(col(ApiToken.created_at))
        )
    )


def label_of(token: ApiToken) -> str:
    return str(unseal(token, "label_sealed", "") or "")


def revoke_token(db: Session, user: User, token_id: uuid.UUID) -> None:
    token = db.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise Forbidden()
    db.delete(token)
    db.flush()


def user_for_bearer(db: Session, header: str | None, now: datetime | None = None) -> User | None:
    """The account an `Authorization: Bearer` header speaks for, or None."""
    if not header:
        return None
    scheme, _sep, secret = header.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith(PREFIX) or len(secret) > 128:
        return None
    token = db.exec(select(ApiToken).where(ApiToken.token_hash == token_hash(secret))).first()
    if token is None:
        return None
    user = db.get(User, token.user_id)
    if user is None or user.disabled_at is not None:
        return None
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
        db.add(token)
    return user
