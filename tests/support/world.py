"""A small world for access tests: two associations, their staff, patients, a mandate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlmodel import Session

from app.accounts.sessions import csrf_token_for, start_session
from app.clock import today
from app.letters.identity import Identity
from app.models.account import User
from app.models.base import utcnow
from app.models.organisation import Association, Mandate, PatientFile, StaffRole, StoredLetter
from app.organisations.access import ADMIN, HELPER
from app.organisations.mandates import MandateScope
from app.patients.files import set_identity, store_letter
from app.security.fields import email_index, seal

PASSWORD = "un chat roux dort sous la pluie"
ROLES = (
    "anonymous",
    "patient",
    "other_patient",
    # holds a mandate in force for the member; the mandate in the route is a colleague's
    "helper_with_mandate",
    # holds a mandate in force for the member, and the mandate in the route is their own
    "helper_own_mandate",
    "helper_without",
    # was a helper with a mandate still in force, then removed from the team
    "helper_removed",
    "admin_other",
    "admin",
)


@lru_cache(maxsize=1)
def typed_date(name: str, day: date | str) -> dict[str, str]:
    """A date field filled in as a person does: day, month (its number) and year."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


@lru_cache(maxsize=1)
def password_hash() -> str:
    """One Argon2id hash for every test user (hashing costs about 0.1 s each time)."""
    from app.accounts.passwords import hash_password

    return hash_password(PASSWORD)


def make_user(db: Session, email: str, name: str = "", verified: bool = True) -> User:
    user = User(email_index=email_index(email), email_sealed=b"", password_hash=password_hash())
    user.email_sealed = seal(user, "email_sealed", email)
    if name:
        user.name_sealed = seal(user, "name_sealed", name)
    user.email_verified_at = utcnow() if verified else None
    db.add(user)
    db.flush()
    return user


def make_association(db: Session, name: str) -> Association:
    association = Association(name_sealed=b"")
    association.name_sealed = seal(association, "name_sealed", name)
    db.add(association)
    db.flush()
    return association


def make_staff(db: Session, association: Association, user: User, role: str) -> StaffRole:
    staff = StaffRole(association_id=association.id, user_id=user.id, role=role)
    db.add(staff)
    db.flush()
    return staff


IDENTITY = {
    "given_name": "Paulette",
    "family_name": "Martin",
    "postal_address": {"lines": ["3 rue des Tilleuls"], "postal_code": "69001", "city": "Lyon"},
}


@dataclass
class World:
    db: Session
    users: dict[str, User] = field(default_factory=dict)
    ids: dict[str, uuid.UUID] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def sign_in(self, role: str) -> tuple[str, str] | None:
        """(session token, CSRF token) for a role, None for the anonymous one."""
        if role == "anonymous":
            return None
        started = start_session(self.db, user_id=self.users[role].id)
        return started.token, csrf_token_for(started.token)

    def path(self, template: str) -> str:
        member = template.startswith(("/association", "/suivi", "/api/v1/proceedings"))
        letter = self.ids["member_letter" if member else "own_letter"]
        values: dict[str, Any] = {
            "file_id": self.ids["member_file"],
            "letter_id": letter,
            "mandate_id": self.ids["own_mandate"],
            "staff_id": self.ids["helper_without_role"],
            "token": "jeton-inconnu",
            "locale": "en",
            "slug": "doctolib",
            "question_id": "rendez-vous",
            "proceeding_id": self.ids.get("member_proceeding"),
            "event": "envoi",
            "token_id": self.ids.get("api_token"),
            "job_id": "00000000-0000-4000-8000-000000000000",
        }
        return template.format(**values)


def build_world(db: Session) -> World:
    world = World(db)
    for role in ROLES[1:]:
        world.users[role] = make_user(db, f"{role.replace('_', '.')}@example.org", role)
    a = make_association(db, "Association A")
    b = make_association(db, "Association B")
    make_staff(db, a, world.users["admin"], ADMIN)
    make_staff(db, a, world.users["helper_with_mandate"], HELPER)
    make_staff(db, a, world.users["helper_own_mandate"], HELPER)
    world.ids["helper_without_role"] = make_staff(db, a, world.users["helper_without"], HELPER).id
    make_staff(db, b, world.users["admin_other"], ADMIN)

    patient = world.users["patient"]
    own = PatientFile(user_id=patient.id)
    db.add(own)
    other = PatientFile(user_id=world.users["other_patient"].id)
    db.add(other)
    member = PatientFile(user_id=patient.id, association_id=a.id, consent_at=utcnow())
    db.add(member)
    db.flush()
    for file in (own, member):
        set_identity(db, file, Identity.model_validate(IDENTITY))
    world.ids["own_file"] = own.id
    world.ids["member_file"] = member.id
    world.ids["own_letter"] = store_letter(
        db, own, "erasure", "doctolib", IDENTITY, None, patient.id
    ).id
    world.ids["member_letter"] = store_letter(
        db, member, "erasure", "doctolib", IDENTITY, None, world.users["helper_with_mandate"].id
    ).id
    world.ids["mandate"] = make_mandate(db, member, world.users["helper_with_mandate"]).id
    world.ids["own_mandate"] = make_mandate(db, member, world.users["helper_own_mandate"]).id
    # Removed from the team with a mandate still in force: the mandate must count for nothing.
    make_mandate(db, member, world.users["helper_removed"])
    # The member's erasure request is tracked: the patient and the mandated helper follow it.
    from app.accounts.api_tokens import create_token
    from app.proceedings.service import track_letter

    member_letter = db.get(StoredLetter, world.ids["member_letter"])
    assert member_letter is not None
    proceeding, _created = track_letter(
        db, member, member_letter, world.users["helper_with_mandate"].id, today()
    )
    world.ids["member_proceeding"] = proceeding.id
    world.ids["api_token"] = create_token(db, patient, "script")[0].id
    return world


def api_token(db: Session, user: User) -> str:
    """A personal API token of `user` (the secret, as sent in Authorization: Bearer)."""
    from app.accounts.api_tokens import create_token

    return create_token(db, user, "test")[1]


def make_mandate(
    db: Session, file: PatientFile, agent: User, platforms: tuple[str, ...] = ("doctolib",)
) -> Mandate:
    day = today()
    scope = MandateScope(
        rights=["erasure", "access"],
        platforms=list(platforms),
        starts_on=day - timedelta(days=1),
        ends_on=day + timedelta(days=30),
    )
    mandate = Mandate(
        file_id=file.id,
        agent_user_id=agent.id,
        scope_sealed=b"",
        starts_on=scope.starts_on,
        ends_on=scope.ends_on,
        signed_on=day - timedelta(days=1),
    )
    mandate.scope_sealed = seal(mandate, "scope_sealed", scope.model_dump(mode="json"))
    db.add(mandate)
    db.flush()
    return mandate


__all__ = ["ROLES", "StoredLetter", "World", "build_world"]
