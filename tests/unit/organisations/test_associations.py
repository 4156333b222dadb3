"""Associations: invitations, members' files, mandates in force, revocation at once (item 2),
the audit trail the member reads, and no view of another association."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from app.clock import today
from app.letters.render import letter_text
from app.models.organisation import AuditEntry, Mandate, PatientFile, StaffRole, StoredLetter
from tests.conftest import CapturedMail, csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.pages import as_role
from tests.support.world import PASSWORD, World, make_user, typed_date


def dossier(world: World) -> str:
    return f"/association/membres/{world.ids['member_file']}/dossier"


def letter_pdf(world: World) -> str:
    member, letter = world.ids["member_file"], world.ids["member_letter"]
    return f"/association/membres/{member}/lettres/{letter}/lettre.pdf"


def test_revoking_a_mandate_stops_the_same_session_at_once(
    app: Any, db: Session, world: World
) -> None:
    with (
        as_role(app, world, "helper_with_mandate") as helper,
        as_role(app, world, "admin") as admin,
    ):
        assert helper.get(dossier(world)).status_code == 200
        member_page = admin.get(f"/association/membres/{world.ids['member_file']}")
        response = admin.post(
            f"/association/membres/{world.ids['member_file']}/mandats/{world.ids['mandate']}/revoquer",
            data={"csrf_token": csrf_from(member_page.text)},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert helper.get(dossier(world)).status_code == 403
        assert helper.get(letter_pdf(world)).status_code == 403


def test_removing_a_role_stops_the_same_session_at_once(
    app: Any, db: Session, world: World
) -> None:
    with (
        as_role(app, world, "helper_with_mandate") as helper,
        as_role(app, world, "admin") as admin,
    ):
        assert helper.get("/association/membres/nouveau").status_code == 200
        role = db.exec(
            select(StaffRole).where(StaffRole.user_id == world.users["helper_with_mandate"].id)
        ).one()
        page = admin.get("/association")
        response = admin.post(
            f"/association/equipe/{role.id}/retirer",
            data={"csrf_token": csrf_from(page.text)},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert helper.get("/association/membres/nouveau").status_code == 403
        assert helper.get(dossier(world)).status_code == 403


@pytest.mark.parametrize(
    ("change", "allowed"),
    [
        ({}, True),
        ({"ends_on": -1}, False),  # expired yesterday
        ({"starts_on": 2, "ends_on": 10}, False),  # not started
        ({"signed_on": None}, False),  # never signed
    ],
)
def test_a_mandate_counts_only_while_signed_and_within_its_dates(
    app: Any, db: Session, world: World, change: dict[str, Any], allowed: bool
) -> None:
    mandate = db.get(Mandate, world.ids["mandate"])
    assert mandate is not None
    day = today()
    for field, offset in change.items():
        setattr(mandate, field, None if offset is None else day + timedelta(days=offset))
    db.add(mandate)
    db.commit()
    with as_role(app, world, "helper_with_mandate") as helper:
        assert (helper.get(dossier(world)).status_code == 200) is allowed


def test_a_helper_acts_only_within_the_mandates_rights_and_platforms(
    app: Any, db: Session, world: World
) -> None:
    path = f"/association/membres/{world.ids['member_file']}/lettres"
    with as_role(app, world, "helper_with_mandate") as helper:
        token = csrf_from(helper.get(dossier(world)).text)
        outside = helper.post(
            path, data={"kind": "erasure", "platform": "livi", "csrf_token": token}
        )
        assert outside.status_code == 422
        assert "ne couvre pas" in html.unescape(outside.text)
        inside = helper.post(
            path,
            data={"kind": "erasure", "platform": "doctolib", "csrf_token": token},
            follow_redirects=False,
        )
        assert inside.status_code == 303
    letters = db.exec(
        select(StoredLetter).where(StoredLetter.file_id == world.ids["member_file"])
    ).all()
    assert len(letters) == 2


def test_a_letter_a_helper_prepares_names_the_association_the_helper_and_the_mandate(
    app: Any, db: Session, world: World
) -> None:
    from app.patients.files import letter_of

    path = f"/association/membres/{world.ids['member_file']}/lettres"
    with as_role(app, world, "helper_with_mandate") as helper:
        token = csrf_from(helper.get(dossier(world)).text)
        made = helper.post(
            path,
            data={"kind": "erasure", "platform": "doctolib", "csrf_token": token},
            follow_redirects=False,
        )
        assert made.status_code == 303
    stored = db.exec(
        select(StoredLetter)
        .where(StoredLetter.file_id == world.ids["member_file"])
        .order_by(StoredLetter.created_at.desc())  # type: ignore[attr-defined]
    ).first()
    assert stored is not None
    text = " ".join(letter_text(letter_of(stored)).split())
    assert "préparée pour moi par helper_with_mandate, de l'association Association A" in text
    assert "- Mandat donné à Association A" in text


def test_every_helper_access_is_recorded_and_the_member_reads_it(
    app: Any, db: Session, world: World
) -> None:
    with as_role(app, world, "helper_with_mandate") as helper:
        helper.get(dossier(world))
        helper.get(letter_pdf(world))
    entries = db.exec(select(AuditEntry).order_by(AuditEntry.at)).all()  # type: ignore[arg-type]
    assert [e.action for e in entries] == ["dossier.consulte", "lettre.telechargee"]
    with as_role(app, world, "admin") as admin:
        admin.get(f"/association/membres/{world.ids['member_file']}")
    admin_entry = db.exec(select(AuditEntry).where(AuditEntry.action == "fiche.consultee")).one()
    assert admin_entry.actor_user_id == world.users["admin"].id
    entries = [e for e in entries if e.action != "fiche.consultee"]
    assert {e.actor_user_id for e in entries} == {world.users["helper_with_mandate"].id}
    with as_role(app, world, "patient") as member:
        page = html.unescape(member.get("/compte/journal").text)
    assert "helper_with_mandate (Association A)" in page  # who: the helper and the association
    assert "UTC" not in page
    assert "Dossier consulté" in page  # what
    assert "Lettre téléchargée (Doctolib)" in page
    with as_role(app, world, "other_patient") as other:
        assert "helper_with_mandate" not in other.get("/compte/journal").text


def test_nothing_of_another_association_is_visible(app: Any, db: Session, world: World) -> None:
    with as_role(app, world, "admin_other") as other_admin:
        page = other_admin.get("/association").text
        assert "Paulette" not in page
        assert "Association A" not in page
        assert (
            other_admin.get(f"/association/membres/{world.ids['member_file']}").status_code == 403
        )


def test_invite_a_helper_who_signs_up_and_joins(
    app: Any, db: Session, world: World, mail: CapturedMail
) -> None:
    with as_role(app, world, "admin") as admin:
        token = csrf_from(admin.get("/association").text)
        admin.post(
            "/association/invitations",
            data={"email": "nouvelle@example.org", "role": "helper", "csrf_token": token},
        )
    link = mail.link("/invitation/")
    # 13.8: the email names the association and the person who invites; the subject, which
    # anyone glancing at the inbox sees, names neither (an association's name can reveal a
    # condition).
    body = mail.last_body().replace("\xa0", " ")
    assert "admin vous invite à rejoindre l'équipe de l'association « Association A »" in body
    assert "Association A" not in str(mail.messages[-1]["Subject"])
    newcomer = make_user(db, "nouvelle@example.org")
    stranger = make_user(db, "autre@example.org")
    db.commit()
    with CheckedClient(app) as client:
        for user, expected in ((stranger, 403), (newcomer, 303)):
            client.cookies.clear()
            page = client.get("/connexion")
            client.post(
                "/connexion",
                data={
                    "email": "autre@example.org" if user is stranger else "nouvelle@example.org",
                    "password": PASSWORD,
                    "csrf_token": csrf_from(page.text),
                },
            )
            invitation = client.get(link)
            assert "Invitation envoyée par admin, pour l'association « Association A »" in (
                html.unescape(invitation.text).replace("\xa0", " ")
            )
            response = client.post(
                "/invitation",
                data={
                    "token": link.rsplit("/", 1)[1],
                    "name": "Nora",
                    "csrf_token": csrf_from(invitation.text),
                },
                follow_redirects=False,
            )
            assert response.status_code == expected
        assert client.get("/association/membres/nouveau").status_code == 200


def test_a_helper_creates_a_member_with_consent_and_a_mandate(
    app: Any, db: Session, world: World
) -> None:
    with as_role(app, world, "helper_without") as helper:
        form = helper.get("/association/membres/nouveau")
        token = csrf_from(form.text)
        refused = helper.post(
            "/association/membres",
            data={"given_name": "Jeanne", "family_name": "Roux", "csrf_token": token},
        )
        assert refused.status_code == 422
        assert 'id="error-consent"' in refused.text
        created = helper.post(
            "/association/membres",
            data={
                "given_name": "Jeanne",
                "family_name": "Roux",
                "consent": "oui",
                "consent_note": "papier signé",
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        member_path = created.headers["location"]
        file_id = member_path.rsplit("/", 1)[1]
        file = db.get(PatientFile, __import__("uuid").UUID(file_id))
        assert file is not None
        assert file.consent_at is not None
        day = today()
        bad = helper.post(
            f"{member_path}/mandats",
            data={
                "rights": ["erasure"],
                **typed_date("starts_on", day),
                **typed_date("ends_on", (day - timedelta(days=1))),
                "csrf_token": token,
            },
        )
        assert bad.status_code == 422
        assert 'id="error-platforms"' in bad.text
        form = {
            "rights": ["erasure", "access"],
            "platforms": ["doctolib", "livi"],
            **typed_date("starts_on", day),
            **typed_date("ends_on", (day + timedelta(days=90))),
            "answers_to": "association",
            "csrf_token": token,
        }
        # Only an administrator records a signature: the helper prepares an unsigned draft.
        signed = helper.post(
            f"{member_path}/mandats", data={**form, **typed_date("signed_on", day)}
        )
        assert signed.status_code == 403
        draft = helper.post(f"{member_path}/mandats", data=form, follow_redirects=False)
        assert draft.status_code == 303
        assert helper.get(f"{member_path}/dossier").status_code == 403
        mandate = db.exec(select(Mandate).where(Mandate.file_id == file.id)).one()
        assert mandate.signed_on is None
        assert "Enregistrer la signature" not in helper.get(member_path).text
    with as_role(app, world, "admin") as admin:
        page = admin.get(member_path)
        assert "Enregistrer la signature" in page.text
        recorded = admin.post(
            f"{member_path}/mandats/{mandate.id}/signature",
            data={**typed_date("signed_on", day), "csrf_token": csrf_from(page.text)},
            follow_redirects=False,
        )
        assert recorded.status_code == 303
    with as_role(app, world, "helper_without") as helper:
        assert helper.get(f"{member_path}/dossier").status_code == 200
    mandate = db.exec(select(Mandate).where(Mandate.file_id == file.id)).one()
    assert mandate.signed_on == day
    from app.organisations.service import mandate_scope

    assert mandate_scope(mandate).platforms == ["doctolib", "livi"]
    assert mandate_scope(mandate).answers_to == "association"


def test_the_member_is_given_access_to_their_file(
    app: Any, db: Session, world: World, mail: CapturedMail
) -> None:
    member = PatientFile(
        association_id=db.get(StaffRole, world.ids["helper_without_role"]).association_id
    )  # type: ignore[union-attr]
    db.add(member)
    db.commit()
    with as_role(app, world, "admin") as admin:
        page = admin.get(f"/association/membres/{member.id}")
        admin.post(
            f"/association/membres/{member.id}/acces",
            data={"email": "other.patient@example.org", "csrf_token": csrf_from(page.text)},
        )
    link = mail.link("/invitation/")
    with as_role(app, world, "other_patient") as patient:
        invitation = patient.get(link)
        response = patient.post(
            "/invitation",
            data={"token": link.rsplit("/", 1)[1], "csrf_token": csrf_from(invitation.text)},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/compte"
    db.refresh(member)
    assert member.user_id == world.users["other_patient"].id


def test_a_letter_for_a_member_without_an_address_is_explained_next_to_the_address(
    app: Any, db: Session, world: World
) -> None:
    from app.patients.files import identity_of
    from app.security.fields import seal

    file = db.get(PatientFile, world.ids["member_file"])
    assert file is not None
    identity = identity_of(file)
    identity.pop("postal_address")
    file.identity_sealed = seal(file, "identity_sealed", identity)
    db.add(file)
    db.commit()
    with as_role(app, world, "helper_with_mandate") as helper:
        token = csrf_from(helper.get(dossier(world)).text)
        response = helper.post(
            f"/association/membres/{world.ids['member_file']}/lettres",
            data={"kind": "erasure", "platform": "doctolib", "csrf_token": token},
        )
    assert response.status_code == 422
    assert 'id="error-address_line1"' in response.text
    assert "Complétez d'abord l'identité" in html.unescape(response.text)


def test_mandate_errors_link_to_their_fields(app: Any, db: Session, world: World) -> None:
    path = f"/association/membres/{world.ids['member_file']}"
    with as_role(app, world, "admin") as admin:
        token = csrf_from(admin.get(f"{path}/mandats/nouveau").text)
        response = admin.post(f"{path}/mandats", data={"csrf_token": token})
    assert response.status_code == 422
    for field in ("rights", "platforms"):
        assert f'href="#field-{field}"' in response.text
        assert f'id="field-{field}"' in response.text


def test_a_member_without_a_recorded_identity_still_has_a_named_page(
    app: Any, db: Session, world: World
) -> None:
    file = db.get(PatientFile, world.ids["member_file"])
    assert file is not None
    file.identity_sealed = None
    db.add(file)
    db.commit()
    with as_role(app, world, "admin") as admin:
        page = admin.get(f"/association/membres/{file.id}")
        dashboard = admin.get("/association")
    assert page.status_code == 200
    heading = "Membre dont l’identité n’est pas encore enregistrée"
    assert f"<h1>{heading}</h1>" in html.unescape(page.text).replace("'", "’")
    assert heading in html.unescape(dashboard.text).replace("'", "’")
