"""Invitations: to join an association's team, or for a member to reach their own file.

Only an administrator invites. A member invitation is refused for a file that already has an
owner and for an address of the association's own team, and accepting one never replaces an
owner: a volunteer cannot take a member's file by inviting themselves.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.accounts import emails
from app.accounts.users import clean_email, email_of, find_by_email, name_of
from app.errors import Conflict, Forbidden, Invalid
from app.i18n import gettext as _
from app.models.account import User
from app.models.base import utcnow
from app.models.organisation import Association, Invitation, PatientFile, StaffRole
from app.organisations.access import ADMIN, HELPER, Actor
from app.organisations.audit import AuditAction, record_access
from app.security.crypto import token_hash
from app.security.fields import seal, unseal

logger = logging.getLogger("reprise.associations")
INVITATION_LIFETIME = timedelta(days=7)
MEMBER = "member"


# What else happens when a member reaches their file with their own account, registered by the
# features above this package (app.registry lists the modules): the observatory carries an
# objection recorded by the association over to the account.
FileLinked = Callable[[Session, PatientFile], None]
FILE_LINKED: list[FileLinked] = []


def on_file_linked(hook: FileLinked) -> FileLinked:
    if hook not in FILE_LINKED:
        FILE_LINKED.append(hook)
    return hook


@dataclass(frozen=True)
class Sender:
    """Who invites, as the invited person reads it: the association and the person."""

    association: str
    person: str


def _sender(db: Session, association_id: object, user: User | None) -> Sender:
    association = db.get(Association, association_id)
    name = str(unseal(association, "name_sealed")) if association else ""
    person = (name_of(user) or email_of(user)) if user is not None else ""
    return Sender(name, person)


def _staff_of(db: Session, association_id: object, email: str) -> bool:
    user = find_by_email(db, email)
    if user is None:
        return False
    role = db.exec(select(StaffRole).where(StaffRole.user_id == user.id)).first()
    return role is not None and role.association_id == association_id


def _check_member_invitation(db: Session, actor: Actor, file: PatientFile, email: str) -> None:
    if file.association_id != actor.association_id:
        raise Forbidden()
    if file.user_id is not None:
        raise Conflict(_("Ce membre a déjà accès à son dossier avec son propre compte."))
    if _staff_of(db, file.association_id, email):
        raise Invalid(
            {
                "email": _(
                    "Cette adresse est celle d'une personne de l'équipe. Indiquez l'adresse "
                    "personnelle du membre."
                )
            }
        )


def invite(
    db: Session,
    actor: Actor,
    raw_email: str,
    role: str,
    file: PatientFile | None = None,
    now: datetime | None = None,
) -> None:
    """Email an invitation: to join as helper or administrator, or (member) to reach a file."""
    if not actor.is_admin or actor.association_id is None:
        raise Forbidden(_("Seuls les administrateurs de l'association envoient des invitations."))
    if role not in {ADMIN, HELPER, MEMBER} or (role == MEMBER) != (file is not None):
        raise Invalid({"role": _("Choisissez une des propositions.")})
    email = clean_email(raw_email)
    if file is not None:
        _check_member_invitation(db, actor, file, email)
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        association_id=actor.association_id,
        role=role,
        file_id=file.id if file else None,
        email_sealed=b"",
        token_hash=token_hash(token),
        invited_by=actor.user_id,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    invitation.email_sealed = seal(invitation, "email_sealed", email)
    db.add(invitation)
    db.flush()
    sender = _sender(db, actor.association_id, actor.user)
    emails.send_invitation(email, token, role, sender.association, sender.person)
    if file is not None:
        record_access(db, actor, file, AuditAction.ACCESS_GIVEN)
    logger.info("invitation sent")


def find_invitation(db: Session, token: str, now: datetime | None = None) -> Invitation | None:
    if not token or len(token) > 128:
        return None
    invitation = db.exec(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    ).first()
    if invitation is None or invitation.expires_at <= (now or utcnow()):
        return None
    return invitation


def sender_of(db: Session, invitation: Invitation) -> Sender:
    """The association and the person who sent `invitation` (13.8: the page names both)."""
    user = db.get(User, invitation.invited_by) if invitation.invited_by else None
    return _sender(db, invitation.association_id, user)


def _sent_by_an_administrator(db: Session, invitation: Invitation) -> bool:
    """Whether the invitation's sender is, still, an administrator of its association."""
    if invitation.invited_by is None:
        return False
    role = db.exec(select(StaffRole).where(StaffRole.user_id == invitation.invited_by)).first()
    return (
        role is not None and role.role == ADMIN and role.association_id == invitation.association_id
    )


def _accept_member(db: Session, actor: Actor, invitation: Invitation) -> None:
    file = db.get(PatientFile, invitation.file_id)
    if file is None or not _sent_by_an_administrator(db, invitation):
        raise Invalid({"token": _("Cette invitation a expiré ou a déjà servi.")})
    if actor.association_id == file.association_id:
        raise Forbidden(
            _("Vous faites partie de l'équipe de l'association : ce dossier n'est pas le vôtre.")
        )
    if file.user_id is not None and file.user_id != actor.user_id:
        logger.warning("refused: member invitation for a file that has an owner")
        raise Conflict(_("Ce dossier a déjà un titulaire. Demandez à l'association."))
    file.user_id = actor.user_id
    db.add(file)
    db.flush()
    for hook in FILE_LINKED:
        hook(db, file)


def accept_invitation(db: Session, actor: Actor, token: str, now: datetime | None = None) -> str:
    """Join the association or reach the member file; returns where to go next."""
    invitation = find_invitation(db, token, now)
    if invitation is None or actor.user is None:
        raise Invalid({"token": _("Cette invitation a expiré ou a déjà servi.")})
    invited = str(unseal(invitation, "email_sealed"))
    if invited.casefold() != email_of(actor.user).casefold():
        raise Forbidden(
            _("Cette invitation a été envoyée à une autre adresse. Connectez-vous avec celle-ci.")
        )
    if invitation.role == MEMBER:
        _accept_member(db, actor, invitation)
        target = "/compte"
    else:
        if actor.is_staff:
            raise Conflict(_("Vous faites déjà partie d'une association."))
        if not _sent_by_an_administrator(db, invitation):
            raise Invalid({"token": _("Cette invitation a expiré ou a déjà servi.")})
        db.add(
            StaffRole(
                association_id=invitation.association_id,
                user_id=actor.user_id,
                role=invitation.role,
            )
        )
        target = "/association"
    db.delete(invitation)
    db.flush()
    return target
