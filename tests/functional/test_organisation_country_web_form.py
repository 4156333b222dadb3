"""An organisation outside the catalogue says its country and its web form, as catalogue records
do (issue 11 item 6): a country code and an https URL, refused otherwise by the one type, next to
the field on the site, naming the field in the API and on the command line; the letter prints
the country under an address abroad, and sends to the web form when there is neither an address
nor an email. What was kept before these fields existed reads the same."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import clock
from app.catalogue.organisation import Organisation
from app.letters.addressees import in_alsace_moselle_organisation, organisation_key
from app.letters.channels import route
from app.letters.identity import Identity
from app.letters.options import AccessOptions
from app.letters.render import letter_text
from app.letters.service import make_letter, recipient_from_input
from tests.conftest import csrf_from
from tests.support.commands import reprise_on as reprise
from tests.support.pagecheck import CheckedClient
from tests.support.pages import IDENTITY_FORM
from tests.support.world import IDENTITY, api_token, build_world

FORM = "https://www.example.org/donnees-personnelles"
ABROAD: dict[str, Any] = {
    "name": "Clinique Exemple",
    "address_lines": ["Rue de la Loi 1", "1000 Bruxelles"],
    "country": "be",
}


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ({"country": "BE"}, None),
        ({"country": "de"}, None),
        ({"country": ""}, None),
        ({"country": "XY"}, "country"),  # no such country
        ({"country": "ZZ"}, "country"),  # Babel's "unknown region"
        ({"country": "Belgique"}, "country"),
        ({"country": "FRA"}, "country"),
        ({"web_form": FORM}, None),
        ({"web_form": ""}, None),
        ({"web_form": "http://www.example.org/formulaire"}, "web_form"),
        ({"web_form": "javascript:alert(1)"}, "web_form"),
        ({"web_form": "www.example.org"}, "web_form"),
        ({"web_form": "https://www.example.org/a b"}, "web_form"),
        ({"web_form": "https://www.example.org/\x00"}, "web_form"),
        ({"web_form": "https://www.example.org/" + "x" * 500}, "web_form"),
    ],
)
def test_a_country_code_and_an_https_form(change: dict[str, str], refused: str | None) -> None:
    raw = {"name": "Clinique Exemple", "address_lines": ["69006 Lyon"], **change}
    if refused is None:
        Organisation.model_validate(raw)
        return
    with pytest.raises(ValidationError) as caught:
        Organisation.model_validate(raw)
    assert {str(error["loc"][0]) for error in caught.value.errors()} == {refused}


def test_what_was_kept_before_reads_the_same() -> None:
    kept = {
        "name": "Clinique du Parc",
        "address_lines": ["69006 Lyon"],
        "email": None,
        "siren": None,
        "finess": None,
        "category": None,
        "public": None,
    }
    assert Organisation.model_validate(kept).as_selection() == kept
    both = Organisation.model_validate({**ABROAD, "web_form": FORM}).as_selection()
    assert both["country"] == "BE"
    assert both["web_form"] == FORM
    assert Organisation.model_validate(both).as_selection() == both


def test_an_address_abroad_ends_with_its_country_and_is_not_french() -> None:
    organisation = Organisation.model_validate(ABROAD)
    recipient = recipient_from_input(organisation)
    assert recipient.address_lines == ("Rue de la Loi 1", "1000 Bruxelles", "BELGIQUE")
    already = Organisation.model_validate(
        {**ABROAD, "address_lines": ["1000 Bruxelles", "Belgique"]}
    )
    assert recipient_from_input(already).address_lines == ("1000 Bruxelles", "Belgique")
    # Five digits abroad are no French postal code: a German town is not in Alsace-Moselle.
    german = {"name": "Klinik", "address_lines": ["67059 Ludwigshafen"], "country": "DE"}
    assert not in_alsace_moselle_organisation(Organisation.model_validate(german).as_selection())
    assert in_alsace_moselle_organisation({**german, "country": None})
    assert organisation_key(ABROAD) == organisation_key({**ABROAD, "country": None})


def test_a_web_form_only_is_where_the_letter_goes() -> None:
    organisation = Organisation.model_validate({"name": "Clinique Exemple", "web_form": FORM})
    recipient = recipient_from_input(organisation)
    assert recipient.web_form == FORM
    assert route("access", recipient).channel == "web-form"
    letter = make_letter(
        "access",
        Identity.model_validate(IDENTITY),
        recipient,
        AccessOptions(),
        clock.today(),
    )
    text = letter_text(letter)
    assert "Envoyée par le formulaire en ligne de l'organisme" in text
    assert FORM in text
    # An email comes first, as for a catalogue record.
    with_email = Organisation.model_validate(
        {"name": "Clinique Exemple", "web_form": FORM, "email": "dpo@example.org"}
    )
    assert route("access", recipient_from_input(with_email)).channel == "email"


def test_the_wizard_says_a_bad_form_or_country_next_to_the_field(client: CheckedClient) -> None:
    token = csrf_from(client.get("/lettres/organisme").text)
    refused = client.post(
        "/lettres/organisme",
        data={
            "name": "Clinique Exemple",
            "line1": "Rue de la Loi 1",
            "line3": "1000 Bruxelles",
            "country": "XY",
            "web_form": "javascript:alert(1)",
            "category": "other",
            "csrf_token": token,
        },
    )
    assert refused.status_code == 422
    for field in ("country", "web_form"):
        assert f'id="error-{field}"' in refused.text
        assert f'href="#field-{field}"' in refused.text
    assert 'value="javascript:alert(1)"' in refused.text  # what was typed, to correct
    kept = client.post(
        "/lettres/organisme",
        data={
            "name": "Clinique Exemple",
            "line1": "Rue de la Loi 1",
            "line3": "1000 Bruxelles",
            "country": "BE",
            "web_form": FORM,
            "category": "other",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert kept.status_code == 303
    again = client.get("/lettres/organisme").text
    assert '<option value="BE" selected>' in again
    assert f'value="{FORM}"' in again


def test_the_discovery_form_takes_a_web_form_instead_of_an_address(
    client: CheckedClient,
) -> None:
    token = csrf_from(client.get("/decouvrir/organisme").text)
    refused = client.post(
        "/decouvrir/organismes/saisie",
        data={"name": "Cabinet Exemple", "web_form": "http://example.org", "csrf_token": token},
    )
    assert refused.status_code == 422
    assert 'id="error-web_form"' in refused.text
    added = client.post(
        "/decouvrir/organismes/saisie",
        data={"name": "Cabinet Exemple", "web_form": FORM, "csrf_token": token},
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text


def test_the_api_refuses_a_bad_form_or_country_naming_the_field(app: Any, db: Session) -> None:
    world = build_world(db)
    headers = {"Authorization": f"Bearer {api_token(db, world.users['patient'])}"}
    db.commit()
    with CheckedClient(app) as client:
        for field, value in (("web_form", "http://example.org"), ("country", "XY")):
            answer = client.post(
                "/api/v1/proceedings",
                headers=headers,
                json={"kind": "access", "organisation": {**ABROAD, field: value}},
            )
            assert answer.status_code == 422, answer.text
            locations = [error["loc"] for error in answer.json()["detail"]]
            assert any(location[-1] == field for location in locations), locations
        answer = client.post(
            "/api/v1/proceedings",
            headers=headers,
            json={"kind": "access", "organisation": {**ABROAD, "web_form": FORM}},
        )
    assert answer.status_code == 201, answer.text
    assert answer.json()["organisation"]["web_form"] == FORM
    assert answer.json()["organisation"]["country"] == "BE"


def test_the_command_refuses_a_bad_form_naming_the_field(engine: Engine, tmp_path: Path) -> None:
    with Session(engine, expire_on_commit=False) as db:
        build_world(db)
        db.commit()
    identity = tmp_path / "moi.json"
    identity.write_text(json.dumps(IDENTITY), encoding="utf-8")
    recipient = tmp_path / "clinique.json"
    recipient.write_text(json.dumps({**ABROAD, "web_form": "ftp://example.org"}), encoding="utf-8")
    out = tmp_path / "lettre.txt"
    refused = reprise(
        engine, "letter", "--kind", "access", "--recipient-file", str(recipient),
        "--identity", str(identity), "--out", str(out), "--format", "txt",
    )  # fmt: skip
    assert refused.returncode == 2
    assert "web_form" in refused.stderr
    recipient.write_text(json.dumps({"name": "Clinique Exemple", "web_form": FORM}), "utf-8")
    written = reprise(
        engine, "letter", "--kind", "access", "--recipient-file", str(recipient),
        "--identity", str(identity), "--out", str(out), "--format", "txt",
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert FORM in out.read_text(encoding="utf-8")


def test_the_wizard_sends_a_letter_to_the_web_form_of_an_organisation(
    client: CheckedClient,
) -> None:
    token = csrf_from(client.get("/lettres/organisme").text)
    client.post(
        "/lettres/organisme",
        data={
            "name": "Cabinet Exemple",
            "web_form": FORM,
            "category": "other",
            "csrf_token": token,
        },
    )
    client.post("/lettres/demande", data={"kind": "access", "csrf_token": token})
    client.post("/lettres/options/hebergement", data={"sovereignty": "no", "csrf_token": token})
    client.post("/lettres/identite", data={**IDENTITY_FORM, "csrf_token": token})
    preview = client.get("/lettres/apercu").text
    assert "À quelle adresse envoyer cette lettre ?" not in html.unescape(preview)
    assert f'href="{FORM}"' in preview
    assert "Ouvrir le formulaire en ligne de" in html.unescape(preview)
    text = client.get("/lettres/lettre.txt").text
    assert "Envoyée par le formulaire en ligne de l'organisme" in text
