"""The access log a member reads: every look at or change to their data by a helper of their
association. What happened is an AuditAction, its label beside it; a page shows the label,
never the stored code."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from app.accounts.users import email_of, name_of
from app.i18n import N_
from app.i18n import gettext as _
from app.models.organisation import Association, AuditEntry, PatientFile
from app.organisations.access import Actor
from app.security.fields import seal, unseal


class AuditAction(StrEnum):
    """What a helper did with a member's data (the value is the code kept in the log)."""

    MEMBER_VIEWED = "fiche.consultee"
    MANDATE_CREATED = "mandat.cree"
    MANDATE_SIGNED = "mandat.signe"
    MANDATE_REVOKED = "mandat.revoque"
    ACCESS_GIVEN = "acces.donne"
    DOSSIER_VIEWED = "dossier.consulte"
    IDENTITY_CHANGED = "identite.modifiee"
    LETTER_WRITTEN = "lettre.creee"
    LETTER_DOWNLOADED = "lettre.telechargee"
    TRACKING_VIEWED = "suivi.consulte"
    TRACKING_STARTED = "suivi.cree"
    TRACKING_UPDATED = "suivi.modifie"
    FOLLOW_UP_WRITTEN = "suivi.lettre"
    OBSERVATORY_OBJECTED = "observatoire.opposition"
    OBSERVATORY_WITHDRAWN = "observatoire.retour"

    @property
    def label(self) -> str:
        return _(AUDIT_LABELS[self])


AUDIT_LABELS: dict[AuditAction, str] = {
    AuditAction.MEMBER_VIEWED: N_("Fiche de membre consultée"),
    AuditAction.MANDATE_CREATED: N_("Mandat enregistré"),
    AuditAction.MANDATE_SIGNED: N_("Signature du mandat enregistrée"),
    AuditAction.MANDATE_REVOKED: N_("Mandat révoqué"),
    AuditAction.ACCESS_GIVEN: N_("Accès au dossier envoyé par e-mail"),
    AuditAction.DOSSIER_VIEWED: N_("Dossier consulté"),
    AuditAction.IDENTITY_CHANGED: N_("Identité modifiée"),
    AuditAction.LETTER_WRITTEN: N_("Lettre préparée"),
    AuditAction.LETTER_DOWNLOADED: N_("Lettre téléchargée"),
    AuditAction.TRACKING_VIEWED: N_("Suivi d'une demande consulté"),
    AuditAction.TRACKING_STARTED: N_("Suivi d'une demande commencé"),
    AuditAction.TRACKING_UPDATED: N_("Suivi d'une demande mis à jour"),
    AuditAction.FOLLOW_UP_WRITTEN: N_("Lettre de suite préparée"),
    AuditAction.OBSERVATORY_OBJECTED: N_("Opposition aux chiffres publics de l'observatoire notée"),
    AuditAction.OBSERVATORY_WITHDRAWN: N_(
        "Opposition aux chiffres publics de l'observatoire retirée"
    ),
}
# A code no longer written (an older version's) still reads as something a person understands.
OTHER_ACTION = N_("Autre consultation ou modification")


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    who: str
    action: str  # the code kept in the log
    detail: str

    @property
    def label(self) -> str:
        """What happened, in the reader's language."""
        try:
            return AuditAction(self.action).label
        except ValueError:
            return _(OTHER_ACTION)


def record_access(
    db: Session, actor: Actor, file: PatientFile, action: AuditAction, detail: str = ""
) -> None:
    """Write down one access by a helper to a member's data (who, when, what)."""
    entry = AuditEntry(file_id=file.id, actor_user_id=actor.user_id, action=str(action))
    who = (name_of(actor.user) if actor.user else "") or (
        email_of(actor.user) if actor.user else ""
    )
    association = db.get(Association, actor.association_id) if actor.association_id else None
    if association is not None:
        # The member reads who acted, and for which association.
        who = f"{who} ({unseal(association, 'name_sealed')})"
    entry.actor_sealed = seal(entry, "actor_sealed", who)
    if detail:
        entry.detail_sealed = seal(entry, "detail_sealed", detail)
    db.add(entry)
    db.flush()


def audit_trail(db: Session, file_ids: list[uuid.UUID]) -> list[AuditLine]:
    if not file_ids:
        return []
    entries = db.exec(
        select(AuditEntry)
        .where(col(AuditEntry.file_id).in_(file_ids))
        .order_by(col(AuditEntry.at).desc())
    ).all()
    return [
        AuditLine(
            entry.at,
            str(unseal(entry, "actor_sealed", "") or ""),
            entry.action,
            str(unseal(entry, "detail_sealed", "") or ""),
        )
        for entry in entries
    ]
