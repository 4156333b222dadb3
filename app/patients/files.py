"""A patient file's contents: identity, platforms used, stored letters (all sealed).

A stored letter goes to a catalogue platform or to an organisation outside the catalogue
(app.letters.addressees); its content says which.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app.catalogue.loader import get_catalogue
from app.clock import today as paris_today
from app.errors import Invalid
from app.i18n import gettext as _
from app.letters.addressees import Addressee, addressee, addressee_of
from app.letters.compose import Helper
from app.letters.document import Letter
from app.letters.identity import Identity
from app.letters.service import check_applies, make_letter, parse_options, supported_kinds
from app.models.base import utcnow
from app.models.organisation import PatientFile, StoredLetter
from app.security.fields import seal, unseal


def identity_of(file: PatientFile) -> dict[str, Any]:
    data = unseal(file, "identity_sealed", {}) or {}
    return data if isinstance(data, dict) else {}


def set_identity(db: Session, file: PatientFile, identity: Identity) -> None:
    file.identity_sealed = seal(file, "identity_sealed", identity.model_dump(mode="json"))
    file.updated_at = utcnow()
    db.add(file)
    db.flush()


def display_name(file: PatientFile) -> str:
    """The member's name as pages show it; a file whose identity is not recorded yet still has
    words to show, so its page has a heading and its links a name."""
    identity = identity_of(file)
    name = " ".join(
        part for part in (identity.get("given_name"), identity.get("family_name")) if part
    )
    return name or _("Membre dont l'identité n'est pas encore enregistrée")


def platforms_of(file: PatientFile) -> list[str]:
    return list(unseal(file, "platforms_sealed", []) or [])


def add_platform(db: Session, file: PatientFile, slug: str) -> None:
    platforms = platforms_of(file)
    if slug not in platforms:
        file.platforms_sealed = seal(file, "platforms_sealed", [*platforms, slug])
        db.add(file)
        db.flush()


def store_letter(
    db: Session,
    file: PatientFile,
    kind: str,
    to: str | Addressee,
    identity: dict[str, Any],
    options: dict[str, Any] | None,
    author: uuid.UUID | None,
    on: date | None = None,
    written_by: Helper | None = None,
) -> StoredLetter:
    """Keep what a letter is made of, so the same PDF can be made again later.

    `to` is a catalogue platform's slug, or an Addressee (a platform or an organisation).
    """
    if kind not in supported_kinds():
        raise Invalid({"kind": _("Ce type de lettre n'existe pas.")})
    recipient = addressee(to).checked()
    check_applies(kind, recipient.recipient())
    try:
        Identity.model_validate(identity)
    except ValueError as exc:
        raise Invalid(
            {"identity": _("Complétez d'abord l'identité : nom, prénom et adresse postale.")}
        ) from exc
    parse_options(kind, options)
    letter = StoredLetter(file_id=file.id, content_sealed=b"", created_by=author)
    letter.content_sealed = seal(
        letter,
        "content_sealed",
        {
            "kind": kind,
            **recipient.content(),
            "identity": identity,
            "options": options or {},
            "date": (on or paris_today()).isoformat(),
            **(
                {"written_by": {"association": written_by.association, "helper": written_by.name}}
                if written_by
                else {}
            ),
        },
    )
    db.add(letter)
    if recipient.platform is not None:
        add_platform(db, file, recipient.platform)
    db.flush()
    return letter


def letter_content(letter: StoredLetter) -> dict[str, Any]:
    data = unseal(letter, "content_sealed", {}) or {}
    return data if isinstance(data, dict) else {}


def letter_of(stored: StoredLetter) -> Letter:
    content = letter_content(stored)
    return make_letter(
        content["kind"],
        Identity.model_validate(content["identity"]),
        addressee_of(content).recipient(),
        parse_options(content["kind"], content.get("options")),
        date.fromisoformat(content["date"]),
        check_dates=False,
        helper=_helper(content.get("written_by")),
    )


def _helper(raw: Any) -> Helper | None:
    """The association and helper who prepared a stored letter under a mandate, if any."""
    if not isinstance(raw, dict) or not raw.get("association") or not raw.get("helper"):
        return None
    return Helper(association=str(raw["association"]), name=str(raw["helper"]))


def letters_of(db: Session, file_ids: list[uuid.UUID]) -> list[StoredLetter]:
    if not file_ids:
        return []
    return list(
        db.exec(
            select(StoredLetter)
            .where(col(StoredLetter.file_id).in_(file_ids))
            .order_by(col(StoredLetter.created_at).desc())
        )
    )


def platform_name(slug: str) -> str:
    platform = get_catalogue().get(slug)
    return platform.name if platform else slug


def recipient_name(content: dict[str, Any]) -> str:
    """The name of the platform or organisation a stored letter goes to."""
    return addressee_of(content).name
