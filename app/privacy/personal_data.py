"""Reprise practises the GDPR: export everything about a person, delete it, purge on time.

Each feature that stores personal data registers a `PersonalData` hook; export, account
deletion and the purge jobs walk every registered hook, so later tables (proceedings, ...)
join in by registering, without changes here.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, delete, select

from app.accounts.sessions import end_user_sessions
from app.accounts.users import email_of, name_of
from app.letters.render import letter_pdf
from app.models.account import AccountToken, User
from app.models.base import utcnow
from app.models.organisation import (
    AuditEntry,
    Mandate,
    PatientFile,
    StaffRole,
)
from app.organisations.access import actor_for, mandate_scope, own_files
from app.organisations.audit import audit_trail
from app.organisations.service import association_name
from app.patients.files import identity_of, letter_content, letter_of, letters_of, platforms_of
from app.security.fields import unseal

logger = logging.getLogger("reprise.privacy")


@dataclass(frozen=True)
class PersonalData:
    """What one feature holds on a person.

    export(db, user) -> a JSON-ready dict (and files: name -> bytes) for "Mes données";
    erase(db, user) deletes what cascades would not; purge(db, now) deletes what is due
    (closed proceedings past their retention, ...), returning how many rows went.
    """

    name: str
    export: Callable[[Session, User], tuple[dict[str, Any], dict[str, bytes]]] | None = None
    erase: Callable[[Session, User], None] | None = None
    purge: Callable[[Session, datetime], int] | None = None


@dataclass
class Registry:
    hooks: list[PersonalData] = field(default_factory=list)

    def register(self, hook: PersonalData) -> None:
        self.hooks = [h for h in self.hooks if h.name != hook.name] + [hook]


REGISTRY = Registry()


def register(hook: PersonalData) -> None:
    """Add a feature's personal data to export, deletion and purge."""
    REGISTRY.register(hook)


# ------------------------------------------------------------------ this feature's hooks


def _export_account(db: Session, user: User) -> tuple[dict[str, Any], dict[str, bytes]]:
    actor = actor_for(db, user)
    files = own_files(db, actor)
    data: dict[str, Any] = {
        "email": email_of(user),
        "name": name_of(user),
        "created_at": user.created_at.isoformat(),
        "email_verified_at": user.email_verified_at.isoformat() if user.email_verified_at else None,
        "last_active_at": user.last_active_at.isoformat(),
    }
    if actor.staff is not None:
        from app.models.organisation import Association

        association = db.get(Association, actor.staff.association_id)
        data["association"] = {
            "name": association_name(association) if association else "",
            "role": actor.staff.role,
        }
    files_out: list[dict[str, Any]] = []
    attachments: dict[str, bytes] = {}
    for file in files:
        mandates = db.exec(select(Mandate).where(Mandate.file_id == file.id)).all()
        letters = letters_of(db, [file.id])
        for index, stored in enumerate(letters, 1):
            content = letter_content(stored)
            # A letter to an organisation outside the catalogue is named by its kind alone
            # (its name may hold any character); data.json says who it went to.
            to = content.get("platform") or "organisme"
            attachments[f"lettres/{file.id}/{index:03d}-{content.get('kind')}-{to}.pdf"] = (
                letter_pdf(letter_of(stored))
            )
        files_out.append(
            {
                "id": str(file.id),
                "identity": identity_of(file),
                "platforms": platforms_of(file),
                "notes": unseal(file, "notes_sealed", None),
                "consent": unseal(file, "consent_sealed", None),
                "consent_at": file.consent_at.isoformat() if file.consent_at else None,
                "followed_by_an_association": file.association_id is not None,
                "mandates": [
                    {
                        **mandate_scope(m).model_dump(mode="json"),
                        "signed_on": m.signed_on.isoformat() if m.signed_on else None,
                        "revoked_at": m.revoked_at.isoformat() if m.revoked_at else None,
                    }
                    for m in mandates
                ],
                "letters": [
                    {**letter_content(stored), "created_at": stored.created_at.isoformat()}
                    for stored in letters
                ],
                "access_log": [
                    {
                        "at": line.at.isoformat(),
                        "who": line.who,
                        "action": line.action,
                        "detail": line.detail,
                    }
                    for line in audit_trail(db, [file.id])
                ],
            }
        )
    data["files"] = files_out
    # What this person did as a helper: when, what, in which member's file (the member's own
    # data stays in the member's export).
    data["actions_as_helper"] = [
        {"at": entry.at.isoformat(), "action": entry.action, "file_id": str(entry.file_id)}
        for entry in db.exec(
            select(AuditEntry)
            .where(AuditEntry.actor_user_id == user.id)
            .order_by(col(AuditEntry.at).desc())
        ).all()
    ]
    return data, attachments


def _erase_account(db: Session, user: User) -> None:
    # Files the person owns go (cascading to letters, mandates, audit); their staff role goes.
    # A member file held by the person's own association's team cannot be theirs (a member
    # is never on the team that follows them): it is let go, never deleted with this account.
    staff = db.exec(select(StaffRole).where(StaffRole.user_id == user.id)).first()
    if staff is not None:
        for file in db.exec(
            select(PatientFile).where(
                PatientFile.user_id == user.id, PatientFile.association_id == staff.association_id
            )
        ).all():
            file.user_id = None
            db.add(file)
        db.flush()
    own = db.exec(select(PatientFile.id).where(PatientFile.user_id == user.id)).all()
    if own:
        db.exec(delete(AuditEntry).where(col(AuditEntry.file_id).in_(own)))
        db.exec(delete(Mandate).where(col(Mandate.file_id).in_(own)))
        db.exec(delete(PatientFile).where(col(PatientFile.id).in_(own)))
    db.exec(delete(StaffRole).where(col(StaffRole.user_id) == user.id))
    db.exec(delete(AccountToken).where(col(AccountToken.user_id) == user.id))


register(PersonalData("account", export=_export_account, erase=_erase_account))


# ------------------------------------------------------------------ services


def export_zip(db: Session, user: User) -> bytes:
    """Everything Reprise holds on this person: data.json plus their letters as PDFs."""
    everything: dict[str, Any] = {
        "generated_at": utcnow().isoformat(),
        "service": "Reprise",
    }
    files: dict[str, bytes] = {}
    for hook in REGISTRY.hooks:
        if hook.export is None:
            continue
        data, attachments = hook.export(db, user)
        everything[hook.name] = data
        files |= attachments
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json", json.dumps(everything, ensure_ascii=False, indent=2, default=str)
        )
        for name, content in sorted(files.items()):
            archive.writestr(name, content)
    return buffer.getvalue()


def delete_account(db: Session, user: User) -> None:
    """Delete the account and everything in it, now; every session ends with it."""
    for hook in reversed(REGISTRY.hooks):
        if hook.erase is not None:
            hook.erase(db, user)
    end_user_sessions(db, user.id)
    db.delete(user)
    db.flush()
    logger.info("account deleted")


def purge_registered(db: Session, now: datetime) -> int:
    return sum(hook.purge(db, now) for hook in REGISTRY.hooks if hook.purge is not None)
