"""Mandates that name organisations outside the catalogue (a FINESS establishment, a company by
its SIREN, an address typed by hand): the helper writes and tracks toward them for the member,
and toward nothing else; the mandate document names them; the member reads every access."""

from __future__ import annotations

import html
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from app.catalogue.establishments import import_file
from app.clock import today
from app.letters.addressees import Addressee, organisation_key
from app.letters.render import letter_text
from app.models.organisation import AuditEntry, Mandate, PatientFile, StoredLetter
from app.models.proceeding import Proceeding
from app.organisations.documents import mandate_letter
from app.organisations.mandates import MandateScope
from app.organisations.service import mandate_scope
from app.patients.files import letter_content, store_letter
from app.security.fields import seal
from tests.conftest import csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.pages import as_role
from tests.support.paths import FIXTURES
from tests.support.texts import plain
from tests.support.world import IDENTITY, World, api_token, typed_date

SAMPLE = FIXTURES / "finess" / "etalab-cs1100502-sample.csv"
FLEYRIAT = "010000024"  # CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT, in the sample file
HOSPITAL = {
    "name": "Centre hospitalier de Bourg-en-Bresse",
    "address_lines": ["900 route de Paris", "01440 Viriat"],
    "finess": FLEYRIAT,
}
ELSEWHERE = {"name": "Clinique du Parc", "address_lines": ["2 rue X", "69006 Lyon"]}


def member_path(world: World) -> str:
    return f"/association/membres/{world.ids['member_file']}"


def scope(**changes: Any) -> MandateScope:
    day = today()
    values: dict[str, Any] = {
        "rights": ["access"],
        "organisations": [HOSPITAL],
        "starts_on": day,
        "ends_on": day + timedelta(days=30),
    }
    values.update(changes)
    return MandateScope.model_validate(values)


# ------------------------------------------------------------------ the scope


def test_a_scope_names_platforms_or_organisations_and_allows_only_those() -> None:
    named = scope()
    # the same establishment, however spelt: the same FINESS number
    assert named.allows("access", {"name": "CH FLEYRIAT", "finess": FLEYRIAT})
    assert not named.allows("access", {"name": HOSPITAL["name"], "finess": "690000000"})
    assert not named.allows("access", ELSEWHERE)
    assert not named.allows("erasure", HOSPITAL)  # a right the mandate does not give
    assert not named.allows("access", "doctolib")  # no platform named
    assert not named.allows("access", "")
    # typed by hand: the folded name and the postal code
    typed = scope(organisations=[ELSEWHERE])
    assert typed.allows("access", {"name": "CLINIQUE DU PARC", "address_lines": ["69006 Lyon"]})
    assert not typed.allows(
        "access", {"name": "Clinique du Parc", "address_lines": ["75014 Paris"]}
    )
    # old scopes, platforms only, read as they did
    assert scope(organisations=[], platforms=["doctolib"]).allows("access", "doctolib")
    with pytest.raises(ValueError, match="platform or an organisation"):
        scope(organisations=[], platforms=[])


# ------------------------------------------------------------------ the form


def new_mandate(admin: CheckedClient, world: World, data: dict[str, Any], query: str = "") -> Any:
    form = admin.get(f"{member_path(world)}/mandats/nouveau{query}")
    assert form.status_code == 200
    day = today()
    body = {
        "rights": ["access", "erasure"],
        **typed_date("starts_on", day),
        **typed_date("ends_on", (day + timedelta(days=90))),
        "agent": str(world.users["helper_without"].id),
        **typed_date("signed_on", day),
        "csrf_token": csrf_from(form.text),
        **data,
    }
    return admin.post(f"{member_path(world)}/mandats", data=body, follow_redirects=False)


def helper_mandate(db: Session, world: World) -> Mandate:
    return db.exec(
        select(Mandate).where(Mandate.agent_user_id == world.users["helper_without"].id)
    ).one()


def test_a_helper_writes_and_tracks_a_request_to_a_finess_establishment_of_the_mandate(
    app: Any, db: Session, world: World
) -> None:
    import_file(db, SAMPLE)
    db.commit()
    with as_role(app, world, "admin") as admin:
        search = admin.get(f"{member_path(world)}/mandats/nouveau?nom=fleyriat")
        assert f'value="{FLEYRIAT}"' in search.text
        created = new_mandate(admin, world, {"finess": [FLEYRIAT]}, "?nom=fleyriat")
        assert created.status_code == 303, created.text
    organisations = mandate_scope(helper_mandate(db, world)).organisations
    assert [o["finess"] for o in organisations] == [FLEYRIAT]
    assert "BOURG-EN-BRESSE" in organisations[0]["name"]
    assert organisations[0]["address_lines"][-1] == "01440 VIRIAT"
    assert mandate_scope(helper_mandate(db, world)).platforms == []

    key = "organisme:" + organisation_key(organisations[0])
    with as_role(app, world, "helper_without") as helper:
        dossier = helper.get(f"{member_path(world)}/dossier")
        assert dossier.status_code == 200
        assert f'value="{html.escape(key)}"' in dossier.text
        written = helper.post(
            f"{member_path(world)}/lettres",
            data={"kind": "access", "platform": key, "csrf_token": csrf_from(dossier.text)},
            follow_redirects=False,
        )
        assert written.status_code == 303, written.text
        letter = db.exec(
            select(StoredLetter).where(
                StoredLetter.file_id == world.ids["member_file"],
                StoredLetter.created_by == world.users["helper_without"].id,
            )
        ).one()
        assert letter_content(letter)["organisation"]["finess"] == FLEYRIAT
        tracked = helper.post(
            f"{member_path(world)}/lettres/{letter.id}/suivre",
            data={"csrf_token": csrf_from(dossier.text)},
            follow_redirects=False,
        )
        assert tracked.status_code == 303, tracked.text
        proceeding_path = tracked.headers["location"].split("?")[0]
        assert helper.get(proceeding_path).status_code == 200
        listing = html.unescape(helper.get("/suivi").text)
        assert "BOURG-EN-BRESSE" in listing
    proceeding = db.get(Proceeding, uuid.UUID(proceeding_path.rsplit("/", 1)[1]))
    assert proceeding is not None
    assert proceeding.file_id == world.ids["member_file"]

    with as_role(app, world, "patient") as member:
        assert member.get(proceeding_path).status_code == 200
        assert "BOURG-EN-BRESSE" in html.unescape(member.get("/suivi").text)
        journal = html.unescape(member.get("/compte/journal").text)
    assert "Lettre préparée (CENTRE HOSPITALIER DE BOURG-EN-BRESSE" in journal
    assert "Suivi d'une demande commencé (CENTRE HOSPITALIER DE BOURG-EN-BRESSE" in journal
    actions = {
        entry.action
        for entry in db.exec(
            select(AuditEntry).where(AuditEntry.actor_user_id == world.users["helper_without"].id)
        )
    }
    assert {"lettre.creee", "suivi.cree"} <= actions


def test_an_organisation_typed_by_hand_is_named_in_the_mandate_document(
    app: Any, db: Session, world: World
) -> None:
    typed = {
        "org-0-name": "Clinique du Parc",
        "org-0-line1": "Délégué à la protection des données",
        "org-0-line2": "2 rue X",
        "org-0-postal_code": "69006",
        "org-0-town": "Lyon",
        "org-0-siren": "552 100 554",
    }
    with as_role(app, world, "admin") as admin:
        created = new_mandate(admin, world, {"platforms": ["doctolib"], **typed})
        assert created.status_code == 303, created.text
        mandate = helper_mandate(db, world)
        pdf = admin.get(f"{member_path(world)}/mandats/{mandate.id}/mandat.pdf")
        assert pdf.status_code == 200
    organisations = mandate_scope(mandate).organisations
    assert organisations == [
        {
            "name": "Clinique du Parc",
            "address_lines": ["Délégué à la protection des données", "2 rue X", "69006 Lyon"],
            "email": None,
            "siren": "552100554",
            "finess": None,
            "category": None,
            "public": None,
        }
    ]
    file = db.get(PatientFile, world.ids["member_file"])
    assert file is not None
    text = plain(letter_text(mandate_letter(db, file, mandate)))
    assert "Organismes concernés" in text
    assert "Clinique du Parc, Délégué à la protection des données, 2 rue X, 69006 Lyon" in text
    assert "SIREN n° 552100554" in text
    assert "Doctolib" in text
    # sealed: the organisation is not readable in the stored row
    assert b"Clinique" not in mandate.scope_sealed


def test_a_wrong_organisation_is_explained_next_to_its_field_and_nothing_is_kept(
    app: Any, db: Session, world: World
) -> None:
    with as_role(app, world, "admin") as admin:
        response = new_mandate(
            admin,
            world,
            {
                "org-0-name": "",
                "org-0-postal_code": "6900",
                "org-0-town": "Lyon",
                "org-0-siren": "123456789",
                "org-1-name": "Clinique",
                "org-1-postal_code": "69006",
                "org-1-town": "Lyon",
                "org-1-finess": "12",
            },
        )
        assert response.status_code == 422
        page = html.unescape(response.text)
        for field in ("org-0-name", "org-0-postal_code", "org-0-siren", "org-1-finess"):
            assert f'id="error-{field}"' in response.text
            assert f'href="#field-{field}"' in response.text
        assert 'id="error-platforms"' not in response.text  # organisations named, but wrong
        assert "Indiquez le nom de l'organisme." in page
        assert "code postal à cinq chiffres" in page
        assert "Ce numéro SIREN n'est pas valable" in page
        assert 'value="Clinique"' in response.text  # what was typed is kept
        # nothing named at all: one message, next to the platforms
        empty = new_mandate(admin, world, {})
        assert empty.status_code == 422
        assert 'id="error-platforms"' in empty.text
        assert "ou nommez au moins un organisme" in html.unescape(empty.text)
        # an establishment that is not in the imported registry
        unknown = new_mandate(admin, world, {"finess": ["010000024"]})
        assert unknown.status_code == 422
        assert 'id="error-organisations"' in unknown.text
    assert (
        db.exec(
            select(Mandate).where(Mandate.agent_user_id == world.users["helper_without"].id)
        ).first()
        is None
    )


# ------------------------------------------------------------------ refusals


def organisation_mandate(db: Session, world: World) -> Mandate:
    """A signed mandate in force for `helper_without`: access and erasure, the hospital only."""
    file = db.get(PatientFile, world.ids["member_file"])
    assert file is not None
    named = scope(rights=["access", "erasure"], starts_on=today() - timedelta(days=1))
    mandate = Mandate(
        file_id=file.id,
        agent_user_id=world.users["helper_without"].id,
        scope_sealed=b"",
        starts_on=named.starts_on,
        ends_on=named.ends_on,
        signed_on=named.starts_on,
    )
    mandate.scope_sealed = seal(mandate, "scope_sealed", named.model_dump(mode="json"))
    db.add(mandate)
    db.flush()
    return mandate


def test_a_helper_is_refused_an_organisation_the_mandate_does_not_name_and_after_revocation(
    app: Any, db: Session, world: World
) -> None:
    from app.proceedings.service import track_letter

    mandate = organisation_mandate(db, world)
    file = db.get(PatientFile, world.ids["member_file"])
    assert file is not None
    patient = world.users["patient"].id
    # the member's own requests: one to the hospital, one to another clinic
    named_letter = store_letter(
        db, file, "access", Addressee(organisation=HOSPITAL), IDENTITY, None, patient
    )
    other_letter = store_letter(
        db, file, "access", Addressee(organisation=ELSEWHERE), IDENTITY, None, patient
    )
    named, _created = track_letter(db, file, named_letter, patient, today())
    other_letter_2 = store_letter(
        db, file, "erasure", Addressee(organisation=ELSEWHERE), IDENTITY, None, patient
    )
    other, _created = track_letter(db, file, other_letter, patient, today())
    db.commit()
    token = {"Authorization": f"Bearer {api_token(db, world.users['helper_without'])}"}
    db.commit()
    with as_role(app, world, "helper_without") as helper:
        assert helper.get(f"/suivi/{named.id}").status_code == 200
        assert helper.get(f"/suivi/{other.id}").status_code == 403
        listing = html.unescape(helper.get("/suivi").text)
        assert "Clinique du Parc" not in listing
        dossier = helper.get(f"{member_path(world)}/dossier")
        csrf = csrf_from(dossier.text)
        refused = helper.post(
            f"{member_path(world)}/lettres/{other_letter_2.id}/suivre",
            data={"csrf_token": csrf},
            follow_redirects=False,
        )
        assert refused.status_code == 403
        outside = helper.post(
            f"{member_path(world)}/lettres",
            data={
                "kind": "access",
                "platform": "organisme:" + organisation_key(ELSEWHERE),
                "csrf_token": csrf,
            },
        )
        assert outside.status_code == 422
        assert "ne couvre pas" in html.unescape(outside.text)
        api_refused = helper.post(
            "/api/v1/proceedings",
            json={"kind": "erasure", "organisation": ELSEWHERE, "file_id": str(file.id)},
            headers=token,
        )
        assert api_refused.status_code == 403
        api_allowed = helper.post(
            "/api/v1/proceedings",
            json={
                "kind": "erasure",
                "organisation": {**HOSPITAL, "name": "CH Fleyriat"},
                "file_id": str(file.id),
            },
            headers=token,
        )
        assert api_allowed.status_code == 201, api_allowed.text

        with as_role(app, world, "admin") as admin:
            page = admin.get(member_path(world))
            revoked = admin.post(
                f"{member_path(world)}/mandats/{mandate.id}/revoquer",
                data={"csrf_token": csrf_from(page.text)},
                follow_redirects=False,
            )
            assert revoked.status_code == 303
        assert helper.get(f"/suivi/{named.id}").status_code == 403
        assert helper.get(f"{member_path(world)}/dossier").status_code == 403
        after = helper.post(
            "/api/v1/proceedings",
            json={"kind": "access", "organisation": HOSPITAL, "file_id": str(file.id)},
            headers=token,
        )
        assert after.status_code == 403
    before = db.exec(select(Proceeding).where(Proceeding.file_id == file.id)).all()
    assert len(before) == 4  # the world's, the two of the member, the one the API made


def test_a_mandate_names_twenty_platforms_and_organisations_at_most() -> None:
    """The mandate document lists every one: no more than it can print."""
    from app.catalogue.loader import get_catalogue
    from app.errors import Invalid
    from app.organisations.service import parse_scope

    day = today()
    slugs = [platform.slug for platform in get_catalogue().platforms[:15]]
    organisations = [
        {"name": f"Clinique {n}", "address_lines": [f"6900{n} Lyon"]} for n in range(6)
    ]
    form = {"rights": ["access"], "starts_on": day, "ends_on": day + timedelta(days=30)}
    assert parse_scope({**form, "platforms": slugs, "organisations": organisations[:5]})
    with pytest.raises(Invalid) as refused:
        parse_scope({**form, "platforms": slugs, "organisations": organisations})
    assert set(refused.value.errors) == {"platforms"}
