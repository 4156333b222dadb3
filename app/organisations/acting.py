"""Acting for a member under mandates: what a helper's mandates let them write, and to whom.

The mandate-scope rule is applied here, not in the routes: a route hands over the member's file
and what the helper's mandates in force cover (app.authorisation grants both).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.accounts.users import email_of, name_of
from app.catalogue.loader import get_catalogue
from app.catalogue.schema import Platform
from app.errors import Invalid
from app.i18n import gettext as _
from app.letters.addressees import Addressee, organisation_key
from app.letters.compose import Helper
from app.letters.document import Letter
from app.letters.identity import Identity
from app.letters.service import supported_kinds
from app.models.organisation import Association, PatientFile, StoredLetter
from app.organisations.access import Actor
from app.organisations.audit import AuditAction, record_access
from app.organisations.mandates import Cover
from app.organisations.service import association_name
from app.patients import files as patient_files

# How the dossier's recipient list names an organisation the mandate names (else a platform slug).
ORGANISATION_PREFIX = "organisme:"


@dataclass(frozen=True)
class Choices:
    """What the dossier offers a helper to write: the kinds of letter their mandates cover,
    and the recipients they name (catalogue platforms; organisations by their dossier key)."""

    kinds: list[str]
    platforms: list[Platform]
    organisations: list[tuple[str, dict[str, Any]]]


def choices(cover: Cover) -> Choices:
    return Choices(
        kinds=[kind for kind in supported_kinds() if kind in cover.rights],
        platforms=[p for p in get_catalogue().platforms if p.slug in cover.platforms],
        organisations=[(ORGANISATION_PREFIX + organisation_key(o), o) for o in cover.organisations],
    )


class NotCovered(Invalid):
    """The helper's mandates do not cover this letter for this recipient."""


def mandated_addressee(cover: Cover, kind: str, choice: str) -> str | Addressee:
    """The recipient chosen in the dossier (a catalogue slug, or `organisme:<key>` for an
    organisation the mandate names), if the mandates cover `kind` for it; NotCovered otherwise."""
    refused = NotCovered({"platform": _("Le mandat ne couvre pas ce droit pour ce destinataire.")})
    if choice.startswith(ORGANISATION_PREFIX):
        organisation = cover.organisation(choice.removeprefix(ORGANISATION_PREFIX))
        if organisation is None or not cover.allows(kind, organisation):
            raise refused
        return Addressee(organisation=organisation)
    if not cover.allows(kind, choice):
        raise refused
    return choice


@dataclass(frozen=True)
class Dossier:
    """A member's dossier as a helper acting under mandates sees it."""

    identity: dict[str, Any]
    letters: list[tuple[StoredLetter, dict[str, Any]]]  # each kept letter, with its content
    offered: Choices


def dossier_of(db: Session, file: PatientFile, cover: Cover) -> Dossier:
    """The member's identity, kept letters, and what the helper's mandates let them write."""
    return Dossier(
        identity=patient_files.identity_of(file),
        letters=[
            (letter, patient_files.letter_content(letter))
            for letter in patient_files.letters_of(db, [file.id])
        ],
        offered=choices(cover),
    )


def open_dossier(db: Session, actor: Actor, file: PatientFile, cover: Cover) -> Dossier:
    """The dossier a helper opens; the member's access log says so."""
    record_access(db, actor, file, AuditAction.DOSSIER_VIEWED)
    return dossier_of(db, file, cover)


def member_letter_file(
    db: Session, actor: Actor, file: PatientFile, stored: StoredLetter
) -> Letter:
    """A member's kept letter, made again for the helper to download; the member's access log
    names its recipient."""
    content = patient_files.letter_content(stored)
    detail = str(content.get("platform") or patient_files.recipient_name(content))
    record_access(db, actor, file, AuditAction.LETTER_DOWNLOADED, detail)
    return patient_files.letter_of(stored)


def set_member_identity(db: Session, actor: Actor, file: PatientFile, identity: Identity) -> None:
    """The helper corrects the member's identity (name, address); the member's log says so."""
    patient_files.set_identity(db, file, identity)
    record_access(db, actor, file, AuditAction.IDENTITY_CHANGED)


def helper_of(db: Session, actor: Actor) -> Helper | None:
    """Who prepares a member's letter: named in it, with the association (a letter written
    under a mandate says so)."""
    association = db.get(Association, actor.association_id) if actor.association_id else None
    if association is None or actor.user is None:
        return None
    name = name_of(actor.user) or email_of(actor.user)
    return Helper(association=association_name(association), name=name)


def write_member_letter(
    db: Session, actor: Actor, file: PatientFile, cover: Cover, kind: str, choice: str
) -> StoredLetter:
    """A first letter for the member, from their file's identity, under the helper's mandates;
    the member's access log says so. Invalid when the mandates do not cover it or the identity
    lacks what a letter needs (NotCovered when it is the mandates)."""
    to = mandated_addressee(cover, kind, choice)
    letter = patient_files.store_letter(
        db,
        file,
        kind,
        to,
        patient_files.identity_of(file),
        None,
        actor.user_id,
        written_by=helper_of(db, actor),
    )
    detail = to.name if isinstance(to, Addressee) else to
    record_access(db, actor, file, AuditAction.LETTER_WRITTEN, detail)
    return letter
