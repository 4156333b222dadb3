"""Accounts: sign-up, address check, sign-in with throttling, password reset and change."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, select

from app.accounts import emails, tokens
from app.accounts.credentials import end_credentials
from app.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from app.errors import Invalid, Throttled
from app.i18n import gettext as _
from app.logs import who
from app.models.account import ThrottleHit, User
from app.models.base import utcnow
from app.models.organisation import PatientFile
from app.security import throttle
from app.security.fields import email_index, seal, unseal

logger = logging.getLogger("reprise.accounts")
MAX_EMAIL = 254


class SignInRefused(Exception):
    """Sign-in did not succeed; `reason` is one of: wrong, throttled, unverified."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean_email(raw: str) -> str:
    """A syntactically valid address, or Invalid with a message next to the field."""
    value = raw.strip()
    if not value:
        raise Invalid({"email": _("Indiquez votre adresse e-mail.")})
    if len(value) > MAX_EMAIL:
        raise Invalid({"email": _("Cette adresse e-mail est trop longue.")})
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Invalid(
            {"email": _("Indiquez une adresse e-mail complète, par exemple nom@exemple.fr.")}
        ) from exc


def find_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email_index == email_index(email))).first()


def email_of(user: User) -> str:
    return str(unseal(user, "email_sealed"))


def name_of(user: User) -> str:
    return str(unseal(user, "name_sealed", "") or "")


def set_name(user: User, name: str) -> None:
    user.name_sealed = seal(user, "name_sealed", name.strip()[:100]) if name.strip() else None


def new_user(email: str, password: str, now: datetime | None = None) -> User:
    user = User(email_index=email_index(email), email_sealed=b"", password_hash="")
    user.email_sealed = seal(user, "email_sealed", email)
    user.password_hash = hash_password(password)
    if now is not None:
        user.created_at = user.last_active_at = now
    return user


@dataclass(frozen=True)
class EmailRequest:
    """A form that emails its answer (sign-up, password reset, sign-in link), once accepted.

    Accepting does the same work whatever the address: check the form, count the attempt
    against the per-address limit. What depends on whether the address has an account (hash,
    token, account, email) happens after the answer is sent (`finish_*`), so neither the answer
    nor its timing tells who uses Reprise (security.md, issue 10 item 5)."""

    email: str
    address: str
    hit_id: uuid.UUID
    at: datetime
    password: str = field(default="", repr=False)


def accept_email_request(
    db: Session,
    raw_email: str,
    address: str,
    now: datetime | None = None,
    errors: dict[str, str] | None = None,
    password: str = "",
) -> EmailRequest:
    """Check the form and count the attempt; `errors` are the form's other fields' errors."""
    found = dict(errors or {})
    email = ""
    try:
        email = clean_email(raw_email)
    except Invalid as exc:
        found |= exc.errors
    if found:
        raise Invalid(found)
    at = now or utcnow()
    hit = throttle.take_attempt(db, throttle.email_limit(), address, at)
    if hit is None:
        raise SignInRefused("throttled")
    return EmailRequest(email, address, hit.id, at, password)


def not_a_failure(db: Session, request: EmailRequest) -> None:
    """Take back the attempt: only failures count toward the per-address limit (an
    association's office signs many people up and resets their passwords from one address)."""
    hit = db.get(ThrottleHit, request.hit_id)
    if hit is not None:
        throttle.forget(db, hit)


def request_sign_up(
    db: Session, raw_email: str, password: str, address: str, now: datetime | None = None
) -> EmailRequest:
    """The sign-up form, accepted; `finish_sign_up` does the rest after the answer."""
    email = raw_email.strip()
    problem = password_problem(password, email)
    return accept_email_request(
        db, raw_email, address, now, {"password": problem} if problem else None, password
    )


def finish_sign_up(db: Session, request: EmailRequest) -> None:
    """Create the account and email a confirmation link, or tell the owner they already have
    one. The password is hashed and one email is sent on both paths."""
    email, now = request.email, request.at
    existing = find_by_email(db, email)
    if existing is not None:
        hash_password(request.password)  # the work a new account costs, thrown away
        if existing.email_verified_at is None:
            emails.send_verification(email, tokens.issue_token(db, existing, tokens.VERIFY, now))
        else:
            emails.send_already_registered(email)
        return
    not_a_failure(db, request)
    user = new_user(email, request.password, now)
    db.add(user)
    db.flush()
    own = PatientFile(user_id=user.id)
    db.add(own)
    db.flush()
    emails.send_verification(email, tokens.issue_token(db, user, tokens.VERIFY, now))
    logger.info("account created")


def sign_up(
    db: Session, raw_email: str, password: str, address: str, now: datetime | None = None
) -> None:
    """Sign-up in one go (the site answers between the two halves)."""
    finish_sign_up(db, request_sign_up(db, raw_email, password, address, now))


def confirm_email(db: Session, token: str, now: datetime | None = None) -> User | None:
    user = tokens.consume_token(db, token, tokens.VERIFY, now)
    if user is None:
        return None
    user.email_verified_at = user.email_verified_at or now or utcnow()
    db.add(user)
    db.flush()
    return user


def authenticate(
    db: Session, raw_email: str, password: str, address: str, now: datetime | None = None
) -> User:
    """The account for these credentials, or SignInRefused. Every failure is counted."""
    now = now or utcnow()
    account_limit, address_limit = throttle.login_limits()
    everywhere_limit = throttle.account_ceiling()
    email_key = raw_email.strip().casefold()[:MAX_EMAIL]
    # Every attempt is counted before the password is checked (see throttle.take_attempt); one
    # that succeeds is taken back below. The route rolls back a throttled attempt. Failures on
    # an account count per address, so a stranger elsewhere cannot lock its owner out; a much
    # higher ceiling for the account from every address bounds guessing from many addresses.
    pair = f"{email_key}|{address}"
    account_hit = throttle.take_attempt(db, account_limit, pair, now)
    everywhere_hit = throttle.take_attempt(db, everywhere_limit, email_key, now)
    address_hit = throttle.take_attempt(db, address_limit, address, now)
    user = find_by_email(db, raw_email.strip()) if raw_email.strip() else None
    account = user.id if user else f"typed:{email_key}"
    if account_hit is None or address_hit is None or everywhere_hit is None:
        logger.warning("sign-in refused: too many attempts %s", who(account, address))
        raise SignInRefused("throttled")
    if not verify_password(user.password_hash if user else None, password) or user is None:
        logger.warning("sign-in failed %s", who(account, address))
        raise SignInRefused("wrong")
    # The password was right: not a failure, whatever follows.
    throttle.forget(db, address_hit)
    throttle.forget(db, everywhere_hit)
    throttle.clear(db, account_limit, pair)
    if user.disabled_at is not None:
        logger.warning("sign-in refused: account disabled %s", who(user.id, address))
        raise SignInRefused("wrong")
    if user.email_verified_at is None:
        emails.send_verification(email_of(user), tokens.issue_token(db, user, tokens.VERIFY, now))
        raise SignInRefused("unverified")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_active_at = now
    user.purge_warned_at = None
    db.add(user)
    db.flush()
    logger.info("sign-in succeeded %s", who(user.id, address))
    return user


def request_reset(
    db: Session, raw_email: str, address: str, now: datetime | None = None
) -> EmailRequest:
    """The reset form, accepted; `finish_reset` sends the email after the answer."""
    return accept_email_request(db, raw_email, address, now)


def finish_reset(db: Session, request: EmailRequest) -> None:
    """Email a reset link when the account exists, and a note that there is none otherwise:
    one email on both paths."""
    user = find_by_email(db, request.email)
    if user is not None and user.disabled_at is None:
        not_a_failure(db, request)
        emails.send_reset(request.email, tokens.issue_token(db, user, tokens.RESET, request.at))
    else:
        emails.send_no_account(request.email)


def reset(db: Session, raw_email: str, address: str, now: datetime | None = None) -> None:
    """A password reset in one go (the site answers between the two halves)."""
    finish_reset(db, request_reset(db, raw_email, address, now))


def set_password(db: Session, user: User, password: str) -> None:
    """Store a new password; every session, API token and calendar address of the account
    stops working (ASVS 7.4.3)."""
    problem = password_problem(password, email_of(user))
    if problem:
        raise Invalid({"password": problem})
    user.password_hash = hash_password(password)
    db.add(user)
    end_credentials(db, user.id)
    logger.info("password changed")


def reset_password(db: Session, token: str, password: str, now: datetime | None = None) -> User:
    user = tokens.peek_token(db, token, tokens.RESET, now)
    if user is None:
        raise Invalid({"token": _("Ce lien a expiré ou a déjà servi. Demandez-en un nouveau.")})
    set_password(db, user, password)
    tokens.consume_token(db, token, tokens.RESET, now)
    if user.email_verified_at is None:
        user.email_verified_at = now or utcnow()  # the link proved the address
    return user


def confirm_password(
    db: Session,
    user: User,
    password: str,
    address: str,
    field: str = "password",
    now: datetime | None = None,
) -> None:
    """Check a password typed again before a sensitive step (new password, new API token,
    account deletion). Failures are counted per account and per address like sign-ins, so
    the current password cannot be guessed here instead; Invalid names `field`."""
    now = now or utcnow()
    account_limit, address_limit = throttle.reauth_limits()
    account_hit = throttle.take_attempt(db, account_limit, str(user.id), now)
    address_hit = throttle.take_attempt(db, address_limit, address, now)
    if account_hit is None or address_hit is None:
        logger.warning("password confirmation refused: too many attempts %s", who(user.id, address))
        raise Throttled(_("Trop de tentatives. Attendez un quart d'heure, puis réessayez."))
    if not password:
        throttle.forget(db, account_hit)
        throttle.forget(db, address_hit)
        raise Invalid({field: _("Indiquez votre mot de passe actuel.")})
    if not verify_password(user.password_hash, password):
        logger.warning("password confirmation failed %s", who(user.id, address))
        raise Invalid({field: _("Ce n'est pas votre mot de passe actuel.")})
    throttle.forget(db, account_hit)
    throttle.forget(db, address_hit)


def change_password(db: Session, user: User, current: str, new: str, address: str) -> None:
    confirm_password(db, user, current, address, field="current_password")
    set_password(db, user, new)
