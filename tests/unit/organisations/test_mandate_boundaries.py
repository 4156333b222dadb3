"""Issue 10, high items 1 and 2: a volunteer never reaches more than the member signed for.

Member invitations come from administrators only, never to a team address, never for a file
that has an owner, and accepting one never replaces an owner; mandates are written, signed and
revoked by administrators (a helper prepares an unsigned draft); a helper's mandates in force
count together, pair by pair (right and recipient), decided in one place.
"""

from __future__ import annotations

import html
import secrets
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from app.clock import today
from app.models.base import utcnow
from app.models.organisation import AuditEntry, Invitation, Mandate, PatientFile, StaffRole
from app.organisations.mandates import Cover, MandateScope
from app.security.crypto import token_hash
from app.security.fields import seal
from tests.conftest import CapturedMail, csrf_from
from tests.support.pages import as_role
from tests.support.world import World, make_mandate, typed_date


def member_path(world: World, file_id: uuid.UUID | None = None) -> str:
    return f"/association/membres/{file_id or world.ids['member_file']}"


def unowned_member(db: Session, world: World) -> PatientFile:
    association_id = db.exec(
        select(StaffRole.association_id).where(StaffRole.user_id == world.users["admin"].id)
    ).one()
    file = PatientFile(association_id=association_id, consent_at=utcnow())
    db.add(file)
    db.commit()
    return file


def pending_invitation(db: Session, world: World, file: PatientFile, email: str, by: str) -> str:
    """An invitation as it may lie in the database (sent before the rules below existed)."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        association_id=file.association_id,  # type: ignore[arg-type]
        role="member",
        file_id=file.id,
        email_sealed=b"",
        token_hash=token_hash(token),
        invited_by=world.users[by].id,
        expires_at=utcnow() + timedelta(days=7),
    )
    invitation.email_sealed = seal(invitation, "email_sealed", email)
    db.add(invitation)
    db.commit()
    return token


def invite_member(app: Any, world: World, file_id: uuid.UUID, email: str) -> Any:
    """An administrator gives the member of `file_id` access to their file, by `email`."""
    with as_role(app, world, "admin") as admin:
        page = admin.get(member_path(world, file_id))
        return admin.post(
            f"{member_path(world, file_id)}/acces",
            data={"email": email, "csrf_token": csrf_from(page.text)},
            follow_redirects=False,
        )


def accept(app: Any, world: World, role: str, token: str) -> Any:
    with as_role(app, world, role) as client:
        page = client.get(f"/invitation/{token}")
        return client.post(
            "/invitation",
            data={"token": token, "csrf_token": csrf_from(page.text)},
            follow_redirects=False,
        )


# ------------------------------------------------------------------ item 1: invitations


def test_a_volunteer_cannot_invite_themselves_into_a_members_file(
    app: Any, db: Session, world: World, mail: CapturedMail
) -> None:
    # A member without an account yet, for whom the volunteer holds a mandate in force.
    file = db.get(PatientFile, world.ids["member_file"])
    assert file is not None
    file.user_id = None
    db.add(file)
    db.commit()
    with as_role(app, world, "helper_with_mandate") as helper:
        token = csrf_from(helper.get("/compte/supprimer").text)
        response = helper.post(
            f"{member_path(world, file.id)}/acces",
            data={"email": "helper.with.mandate@example.org", "csrf_token": token},
        )
    assert response.status_code == 403
    assert mail.messages == []
    assert db.exec(select(Invitation)).all() == []


def test_a_volunteers_old_invitation_never_hands_them_the_file(
    app: Any, db: Session, world: World
) -> None:
    file = unowned_member(db, world)
    token = pending_invitation(db, world, file, "helper.with.mandate@example.org", by="admin")
    assert accept(app, world, "helper_with_mandate", token).status_code == 403
    # Sent by a volunteer, to anyone: worthless.
    token = pending_invitation(db, world, file, "other.patient@example.org", "helper_with_mandate")
    assert accept(app, world, "other_patient", token).status_code == 422
    db.refresh(file)
    assert file.user_id is None


def test_an_invitation_for_a_file_that_has_an_owner_is_refused(
    app: Any, db: Session, world: World, mail: CapturedMail
) -> None:
    with as_role(app, world, "admin") as admin:
        page = admin.get(member_path(world))
        assert "Le membre a accès à son dossier avec son propre compte" in html.unescape(page.text)
        response = admin.post(
            f"{member_path(world)}/acces",
            data={"email": "other.patient@example.org", "csrf_token": csrf_from(page.text)},
        )
    assert response.status_code == 409
    assert mail.messages == []


def test_an_invitation_to_a_team_address_is_refused_next_to_the_field(
    app: Any, db: Session, world: World, mail: CapturedMail
) -> None:
    file = unowned_member(db, world)
    response = invite_member(app, world, file.id, "helper.without@example.org")
    assert response.status_code == 422
    assert 'id="error-email"' in response.text
    assert "personne de l'équipe" in html.unescape(response.text)
    assert mail.messages == []
    assert db.exec(select(Invitation)).all() == []


def test_accepting_an_invitation_never_replaces_the_owner(
    app: Any, db: Session, world: World
) -> None:
    owned = db.get(PatientFile, world.ids["member_file"])
    assert owned is not None
    token = pending_invitation(db, world, owned, "other.patient@example.org", by="admin")
    response = accept(app, world, "other_patient", token)
    assert response.status_code == 409
    db.refresh(owned)
    assert owned.user_id == world.users["patient"].id


def test_an_administrator_gives_a_member_access_once_and_the_email_names_who(
    app: Any, db: Session, world: World, mail: CapturedMail
) -> None:
    file = unowned_member(db, world)
    sent = invite_member(app, world, file.id, "other.patient@example.org")
    assert sent.status_code == 303
    # 13.8: the email names the association and the person who invites.
    body = mail.last_body().replace("\xa0", " ")
    assert "admin, de l'association « Association A », vous donne accès à votre dossier" in body
    token = mail.link("/invitation/").rsplit("/", 1)[1]
    assert accept(app, world, "other_patient", token).headers["location"] == "/compte"
    db.refresh(file)
    assert file.user_id == world.users["other_patient"].id


def test_deleting_a_volunteers_account_never_deletes_a_members_file(
    app: Any, db: Session, world: World
) -> None:
    # As the takeover left it before the fix: the volunteer recorded as the file's owner.
    file = db.get(PatientFile, world.ids["member_file"])
    assert file is not None
    file.user_id = world.users["helper_with_mandate"].id
    db.add(file)
    db.commit()
    trail = len(db.exec(select(AuditEntry)).all())
    from tests.support.world import PASSWORD

    with as_role(app, world, "helper_with_mandate") as helper:
        page = helper.get("/compte/supprimer")
        response = helper.post(
            "/compte/supprimer",
            data={"password": PASSWORD, "csrf_token": csrf_from(page.text)},
            follow_redirects=False,
        )
    assert response.status_code == 303
    db.expire_all()
    kept = db.get(PatientFile, world.ids["member_file"])
    assert kept is not None
    assert kept.user_id is None
    assert len(db.exec(select(AuditEntry)).all()) == trail


# ------------------------------------------------------------------ item 2: mandates


def test_a_volunteer_cannot_widen_or_sign_their_own_mandate(
    app: Any, db: Session, world: World
) -> None:
    day = today()
    wide = {
        "rights": ["access", "erasure", "objection", "rectification", "portability"],
        "platforms": ["doctolib", "livi", "alan"],
        **typed_date("starts_on", day),
        **typed_date("ends_on", (day + timedelta(days=300))),
        **typed_date("signed_on", day),
    }
    mine = world.ids["mandate"]
    with as_role(app, world, "helper_with_mandate") as helper:
        token = csrf_from(helper.get(f"{member_path(world)}/mandats/nouveau").text)
        signed = helper.post(f"{member_path(world)}/mandats", data={**wide, "csrf_token": token})
        assert signed.status_code == 403
        draft = helper.post(
            f"{member_path(world)}/mandats",
            data={**wide, **typed_date("signed_on", day), "csrf_token": token}
            | dict.fromkeys(typed_date("signed_on", day), ""),
            follow_redirects=False,
        )
        assert draft.status_code == 303  # a draft, for an administrator to check and sign
        drafts = db.exec(select(Mandate).where(Mandate.signed_on == None)).all()  # noqa: E711
        assert len(drafts) == 1
        sign = helper.post(
            f"{member_path(world)}/mandats/{drafts[0].id}/signature",
            data={**typed_date("signed_on", day), "csrf_token": token},
        )
        assert sign.status_code == 403
        revoke = helper.post(
            f"{member_path(world)}/mandats/{mine}/revoquer", data={"csrf_token": token}
        )
        assert revoke.status_code == 403
        # The draft widened nothing.
        letter = helper.post(
            f"{member_path(world)}/lettres",
            data={"kind": "erasure", "platform": "livi", "csrf_token": token},
        )
        assert letter.status_code == 422
    db.refresh(drafts[0])
    assert drafts[0].signed_on is None
    assert db.get(Mandate, mine).revoked_at is None  # type: ignore[union-attr]


def scope(rights: list[str], platforms: list[str]) -> MandateScope:
    day = today()
    return MandateScope.model_validate(
        {
            "rights": rights,
            "platforms": platforms,
            "starts_on": day,
            "ends_on": day + timedelta(days=30),
        }
    )


@pytest.mark.parametrize(
    ("kind", "to", "allowed"),
    [
        ("erasure", "doctolib", True),  # the first mandate
        ("access", "doctolib", True),  # the first mandate
        ("erasure", "livi", True),  # the second mandate
        ("access", "livi", False),  # neither: the union is of pairs, not of lists
        ("objection", "doctolib", False),
        ("erasure", "alan", False),
        ("erasure", "", False),
    ],
)
def test_two_mandates_cover_the_union_of_what_each_covers(
    kind: str, to: str, allowed: bool
) -> None:
    cover = Cover([scope(["erasure", "access"], ["doctolib"]), scope(["erasure"], ["livi"])])
    assert cover.allows(kind, to) is allowed
    assert cover.platforms == ["doctolib", "livi"]
    assert cover.rights == ["erasure", "access"]


def test_a_helper_with_two_mandates_in_force_acts_under_both(
    app: Any, db: Session, world: World
) -> None:
    member = db.get(PatientFile, world.ids["member_file"])
    assert member is not None
    second = make_mandate(db, member, world.users["helper_with_mandate"], platforms=("livi",))
    second.scope_sealed = seal(
        second, "scope_sealed", scope(["erasure"], ["livi"]).model_dump(mode="json")
    )
    db.add(second)
    db.commit()
    path = f"{member_path(world)}/lettres"
    with as_role(app, world, "helper_with_mandate") as helper:
        page = helper.get(f"{member_path(world)}/dossier")
        assert 'value="livi"' in page.text
        assert 'value="doctolib"' in page.text
        token = csrf_from(page.text)
        for kind, platform, status in (
            ("erasure", "livi", 303),  # the second mandate (refused before: only the first counted)
            ("access", "doctolib", 303),
            ("access", "livi", 422),
        ):
            response = helper.post(
                path,
                data={"kind": kind, "platform": platform, "csrf_token": token},
                follow_redirects=False,
            )
            assert response.status_code == status, (kind, platform)


# ------------------------------------------------------------------ item 9: the mandate PDF


def test_the_mandate_of_a_member_without_an_address_prints_with_marked_blanks(
    app: Any, db: Session, world: World, tmp_path: Path
) -> None:
    """Right after an administrator creates a file, the member's address is not known yet:
    the mandate document still prints, with the blank marked for the member to fill in."""
    file = unowned_member(db, world)
    # As the association's "new member" form leaves it: names only.
    file.identity_sealed = seal(
        file, "identity_sealed", {"given_name": "Lucienne", "family_name": "Perrin"}
    )
    mandate = make_mandate(db, file, world.users["helper_with_mandate"])
    db.commit()
    with as_role(app, world, "admin") as admin:
        response = admin.get(f"{member_path(world, file.id)}/mandats/{mandate.id}/mandat.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    target = tmp_path / "mandat.pdf"
    target.write_bytes(response.content)
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(target), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    assert "Lucienne Perrin" in text
    assert "[adresse du mandant]" in text
