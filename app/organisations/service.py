"""Associations: creation, staff, members' files, mandates, the audit trail (invitations are in
app.organisations.invitations)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, delete, select

from app.accounts.users import name_of
from app.catalogue.establishments import get_establishment
from app.catalogue.finess import FINESS_RE
from app.catalogue.loader import get_catalogue
from app.catalogue.organisation import Organisation
from app.catalogue.schema import siren_is_valid
from app.errors import Conflict, Forbidden, Invalid
from app.i18n import gettext as _
from app.letters.addressees import organisation_from, organisation_key
from app.letters.options import MAX_MANDATE_NAMES
from app.models.account import User
from app.models.base import utcnow
from app.models.organisation import (
    Association,
    Invitation,
    Mandate,
    PatientFile,
    StaffRole,
)
from app.organisations.access import ADMIN, Actor, cover_for
from app.organisations.access import mandate_scope as mandate_scope  # noqa: PLC0414 (its old home)
from app.organisations.audit import AuditAction, record_access
from app.organisations.mandates import MAX_ORGANISATIONS, MandateScope
from app.security.fields import seal, unseal

logger = logging.getLogger("reprise.associations")


def create_association(db: Session, actor: Actor, name: str) -> Association:
    if actor.is_staff:
        raise Conflict(_("Vous faites déjà partie d'une association."))
    name = name.strip()
    if not name:
        raise Invalid({"name": _("Indiquez le nom de l'association.")})
    if len(name) > 120:
        raise Invalid({"name": _("Ce texte est trop long : %(max)s caractères au plus.", max=120)})
    association = Association(name_sealed=b"")
    association.name_sealed = seal(association, "name_sealed", name)
    db.add(association)
    db.flush()
    db.add(StaffRole(association_id=association.id, user_id=actor.user_id, role=ADMIN))
    db.flush()
    logger.info("association created")
    return association


def association_name(association: Association) -> str:
    return str(unseal(association, "name_sealed"))


def staff_list(db: Session, association_id: uuid.UUID) -> list[tuple[StaffRole, User]]:
    rows = db.exec(
        select(StaffRole, User)
        .where(StaffRole.association_id == association_id, StaffRole.user_id == User.id)
        .order_by(col(StaffRole.created_at))
    ).all()
    return [(role, user) for role, user in rows]


def remove_staff(db: Session, actor: Actor, staff_id: uuid.UUID) -> None:
    """Take someone's role away; their sessions stay, but every later request is refused."""
    role = db.get(StaffRole, staff_id)
    if role is None or role.association_id != actor.association_id:
        raise Forbidden()
    if role.user_id == actor.user_id:
        raise Conflict(_("Vous ne pouvez pas vous retirer vous-même."))
    db.delete(role)
    db.flush()
    logger.info("staff role removed")


# ------------------------------------------------------------------ members


def create_member(
    db: Session, actor: Actor, given_name: str, family_name: str, consent: bool, consent_on: str
) -> PatientFile:
    errors: dict[str, str] = {}
    if not given_name.strip():
        errors["given_name"] = _("Indiquez le prénom du membre.")
    if not family_name.strip():
        errors["family_name"] = _("Indiquez le nom de famille du membre.")
    for field, value in (("given_name", given_name), ("family_name", family_name)):
        if len(value) > 100:
            errors[field] = _("Ce texte est trop long : %(max)s caractères au plus.", max=100)
    if not consent:
        errors["consent"] = _(
            "Le membre doit avoir accepté que l'association tienne son dossier. Cochez la case "
            "une fois son accord obtenu."
        )
    if errors:
        raise Invalid(errors)
    file = PatientFile(association_id=actor.association_id, created_by=actor.user_id)
    file.identity_sealed = seal(
        file,
        "identity_sealed",
        {"given_name": given_name.strip(), "family_name": family_name.strip()},
    )
    now = utcnow()
    file.consent_at = now
    file.consent_sealed = seal(
        file,
        "consent_sealed",
        {"recorded_by": name_of(actor.user) if actor.user else "", "statement": consent_on},
    )
    db.add(file)
    db.flush()
    return file


def members(db: Session, actor: Actor, today: date) -> list[PatientFile]:
    """The members this person may see: all for administrators, their own for helpers."""
    files = db.exec(
        select(PatientFile)
        .where(PatientFile.association_id == actor.association_id)
        .order_by(col(PatientFile.created_at))
    ).all()
    if actor.is_admin:
        return list(files)
    return [
        file
        for file in files
        if cover_for(db, actor, file, today) is not None or file.created_by == actor.user_id
    ]


def establishment_organisation(db: Session, finess: str) -> dict[str, Any] | None:
    """The establishment of the imported FINESS registry, as the letters keep an organisation."""
    number = "".join(finess.split()).upper()
    row = get_establishment(db, number) if FINESS_RE.match(number) else None
    if row is None:
        return None
    siren = row.siret[:9] if row.siret and siren_is_valid(row.siret[:9]) else None
    return organisation_from(
        {
            "name": row.display_name,
            "address_lines": row.address_lines,
            "finess": row.finess,
            "siren": siren,
            "category": row.kind,
            "public": row.public,
        }
    )


def mandate_organisations(
    db: Session, finess_numbers: list[str], typed: list[Organisation]
) -> list[dict[str, Any]]:
    """The organisations a mandate form names: establishments chosen in the FINESS registry,
    then those typed by hand; one per organisation (FINESS, else SIREN, else name and postal
    code). Invalid names each wrong field."""
    found: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for number in finess_numbers:
        organisation = establishment_organisation(db, number)
        if organisation is None:
            errors.setdefault(
                "organisations",
                _("Cet établissement n'est pas dans le répertoire FINESS importé."),
            )
            continue
        found.setdefault(organisation_key(organisation), organisation)
    for typed_one in typed:
        kept = typed_one.as_selection()
        found.setdefault(organisation_key(kept), kept)
    if len(found) > MAX_ORGANISATIONS:
        errors["organisations"] = _(
            "Un mandat nomme au plus %(max)s organismes.", max=MAX_ORGANISATIONS
        )
    if errors:
        raise Invalid(errors)
    return list(found.values())


def parse_scope(form: dict[str, Any]) -> MandateScope:
    """Check the mandate form; Invalid names each wrong field.

    `form["organisations"]`, when given, holds organisations already checked
    (`mandate_organisations`)."""
    messages = {
        "rights": _("Cochez au moins un droit."),
        "platforms": _("Cochez au moins une plateforme, ou nommez au moins un organisme."),
        "starts_on": _("Indiquez la date de début, par exemple 2026-03-01."),
        "ends_on": _("Indiquez une date de fin après la date de début."),
        "data": _("Ce texte est trop long : %(max)s caractères au plus.", max=500),
        "answers_to": _("Choisissez une des propositions."),
        "agent_address": _("Ce texte est trop long : %(max)s caractères au plus.", max=120),
    }
    errors: dict[str, str] = {}
    if not form.get("platforms") and not form.get("organisations"):
        errors["platforms"] = messages["platforms"]
    try:
        scope = MandateScope.model_validate(form)
    except ValidationError as exc:
        for error in exc.errors():
            if error["loc"]:
                field = str(error["loc"][0])
            else:  # a check of the whole scope: no controller named, or dates in disorder
                field = "platforms" if "platforms" in str(error["msg"]) else "ends_on"
            errors.setdefault(
                field if field in messages else "ends_on", messages.get(field, messages["ends_on"])
            )
        raise Invalid(errors) from exc
    if errors:
        raise Invalid(errors)
    unknown = [slug for slug in scope.platforms if get_catalogue().get(slug) is None]
    if unknown:
        raise Invalid({"platforms": messages["platforms"]})
    if len(scope.platforms) + len(scope.organisations) > MAX_MANDATE_NAMES:
        # the mandate document lists every one of them
        raise Invalid(
            {
                "platforms": _(
                    "Un mandat nomme au plus %(max)s plateformes et organismes en tout.",
                    max=MAX_MANDATE_NAMES,
                )
            }
        )
    if (scope.ends_on - scope.starts_on).days > 366 * 3:
        raise Invalid({"ends_on": _("Un mandat dure au plus trois ans.")})
    return scope


def create_mandate(
    db: Session,
    actor: Actor,
    file: PatientFile,
    scope: MandateScope,
    agent_id: uuid.UUID | None,
    signed_on: date | None,
) -> Mandate:
    """A mandate for the member of `file`. Only an administrator records it as signed; a
    helper prepares an unsigned draft, which gives nobody any access until an administrator
    records the member's signature."""
    if signed_on is not None and not actor.is_admin:
        raise Forbidden(
            _("Seul un administrateur de l'association enregistre la signature d'un mandat.")
        )
    agent = agent_id or actor.user_id
    staff = db.exec(select(StaffRole).where(StaffRole.user_id == agent)).first()
    if staff is None or staff.association_id != file.association_id:
        raise Invalid({"agent": _("Choisissez une personne de l'association.")})
    mandate = Mandate(
        file_id=file.id,
        agent_user_id=agent,
        scope_sealed=b"",
        starts_on=scope.starts_on,
        ends_on=scope.ends_on,
        signed_on=signed_on,
        created_by=actor.user_id,
    )
    mandate.scope_sealed = seal(mandate, "scope_sealed", scope.model_dump(mode="json"))
    db.add(mandate)
    db.flush()
    record_access(db, actor, file, AuditAction.MANDATE_CREATED)
    return mandate


@dataclass(frozen=True)
class MandateView:
    mandate: Mandate
    scope: MandateScope
    agent: str
    in_force: bool


def file_mandates(db: Session, file: PatientFile) -> list[Mandate]:
    return list(
        db.exec(select(Mandate).where(Mandate.file_id == file.id).order_by(col(Mandate.created_at)))
    )


def open_member_file(db: Session, actor: Actor, file: PatientFile) -> list[Mandate]:
    """A member's mandates, as their page shows them to the association's staff; the look is
    written in the member's access log."""
    record_access(db, actor, file, AuditAction.MEMBER_VIEWED)
    return file_mandates(db, file)


def _file_mandate(db: Session, file: PatientFile, mandate_id: uuid.UUID) -> Mandate:
    mandate = db.get(Mandate, mandate_id)
    if mandate is None or mandate.file_id != file.id:
        raise Forbidden()
    return mandate


def _administrator(actor: Actor, file: PatientFile) -> None:
    if not actor.is_admin or actor.association_id != file.association_id:
        raise Forbidden()


def record_signature(
    db: Session, actor: Actor, file: PatientFile, mandate_id: uuid.UUID, signed_on: date
) -> None:
    _administrator(actor, file)
    mandate = _file_mandate(db, file, mandate_id)
    if mandate.revoked_at is not None:
        raise Conflict(_("Ce mandat a été révoqué."))
    mandate.signed_on = signed_on
    db.add(mandate)
    db.flush()
    record_access(db, actor, file, AuditAction.MANDATE_SIGNED)


def revoke_mandate(db: Session, actor: Actor, file: PatientFile, mandate_id: uuid.UUID) -> None:
    """Revoke now: the next request of the helper is refused."""
    _administrator(actor, file)
    mandate = _file_mandate(db, file, mandate_id)
    mandate.revoked_at = mandate.revoked_at or utcnow()
    db.add(mandate)
    db.flush()
    record_access(db, actor, file, AuditAction.MANDATE_REVOKED)
    logger.info("mandate revoked")


def delete_pending_invitations(db: Session, file: PatientFile) -> None:
    db.exec(delete(Invitation).where(col(Invitation.file_id) == file.id))
