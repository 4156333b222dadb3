"""One organisation type with one set of rules (issue 11 item 6): an organisation typed in the
letter wizard, the discovery, the mandate form or sent to the API is held to the same rules."""

from __future__ import annotations

import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from app.catalogue.organisation import Organisation, parse_email, parse_postal_code, town_line
from app.web.organisation_form import organisation_from_form, wizard_organisation

CLINIC: dict[str, Any] = {"name": "Clinique du Parc", "address_lines": ["69006 Lyon"]}


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ({}, None),
        ({"name": ""}, "name"),
        ({"name": "Clinique\nBcc: x@y.fr"}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "x" * 200}, None),
        ({"address_lines": ["x" * 121]}, "address_lines"),
        ({"address_lines": ["1 rue\tdu Parc"]}, None),  # a tab is spacing, made one space
        ({"address_lines": ["ligne"] * 7}, "address_lines"),
        ({"email": "dpo@"}, "email"),
        ({"email": "dpo@clinique.fr, autre@clinique.fr"}, "email"),
        ({"email": "dpo@clinique.fr"}, None),
        ({"email": ""}, None),
        ({"siren": "123456789"}, "siren"),  # nine digits, wrong checksum
        ({"siren": "552 100 554"}, None),
        ({"finess": "750712184"}, None),
        ({"finess": "2A0000010"}, None),  # Corsica
        ({"finess": "7C0712184"}, "finess"),
        ({"finess": "75071218"}, "finess"),
        ({"category": "hospital"}, None),
        ({"category": "practitioner"}, None),
        ({"category": "spaceship"}, "category"),
        ({"language": "de"}, "language"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_the_one_set_of_rules(change: dict[str, Any], refused: str | None) -> None:
    raw = {**CLINIC, **change}
    if refused is None:
        Organisation.model_validate(raw)
        return
    with pytest.raises(ValidationError) as caught:
        Organisation.model_validate(raw)
    assert {str(error["loc"][0]) for error in caught.value.errors()} == {refused}


def test_a_kept_organisation_reads_back_the_same() -> None:
    organisation = Organisation.model_validate(
        {**CLINIC, "siren": "552 100 554", "email": "DPO@Clinique.fr", "language": "en"}
    )
    kept = organisation.as_selection()
    assert kept["siren"] == "552100554"
    assert kept["language"] == "en"
    assert Organisation.model_validate(kept) == organisation


@pytest.mark.parametrize(
    ("postal_code", "town", "line", "errors"),
    [
        ("75014", "Paris", "75014 Paris", set()),
        ("75 014", "Paris", "75014 Paris", set()),
        (" 69006 ", "  Lyon  ", "69006 Lyon", set()),
        ("", "", None, set()),
        ("7501", "Paris", None, {"postal_code"}),
        ("750140", "Paris", None, {"postal_code"}),
        ("SW1A 1AA", "London", None, {"postal_code"}),
        ("", "Paris", None, {"postal_code"}),
        ("75014", "", None, {"town"}),
        ("75014", "x" * 81, None, {"town"}),
    ],
)
def test_a_town_line(postal_code: str, town: str, line: str | None, errors: set[str]) -> None:
    found, messages = town_line(postal_code, town)
    assert found == line
    assert set(messages) == errors


@given(st.text(alphabet="0123456789", min_size=5, max_size=5), st.lists(st.integers(0, 5)))
def test_a_postal_code_may_be_spaced(digits: str, cuts: list[int]) -> None:
    spaced = digits
    for cut in sorted(set(cuts), reverse=True):
        spaced = spaced[:cut] + " " + spaced[cut:]
    assert parse_postal_code(spaced) == digits


@given(st.text())
def test_a_postal_code_is_five_digits_or_refused(text: str) -> None:
    bare = "".join(text.split())
    wanted = len(bare) == 5 and all(c in string.digits for c in bare)
    try:
        assert parse_postal_code(text) == bare
        assert wanted
    except ValueError:
        assert not wanted


@given(st.text(max_size=300))
def test_an_email_is_one_clean_address_or_refused(text: str) -> None:
    try:
        address = parse_email(text)
    except ValueError:
        return
    assert address.count("@") == 1
    assert not any(c.isspace() or c in ",;<>\"'" or ord(c) < 32 for c in address)
    assert len(address) <= 254
    assert parse_email(address) == address


@given(st.emails())
def test_an_email_address_is_kept_in_one_form(address: str) -> None:
    try:
        kept = parse_email(address)
    except ValueError:
        return  # email_validator is stricter than the RFC on some corners
    assert parse_email(kept) == kept


TYPED = {"name": "Clinique du Parc", "line1": "1 rue du Parc", "postal_code": "69006"}


@pytest.mark.parametrize(
    ("change", "postal_address", "errors"),
    [
        ({"town": "Lyon"}, True, set()),
        ({"town": "Lyon", "email": "dpo@parc.fr"}, True, set()),
        ({}, True, {"town"}),
        ({"postal_code": "", "town": ""}, True, {"postal_code", "town"}),
        ({"postal_code": "", "town": "", "email": "dpo@parc.fr"}, False, set()),
        ({"postal_code": "", "town": ""}, False, {"postal_code"}),
        ({"town": "Lyon", "name": ""}, True, {"name"}),
        ({"town": "Lyon", "siren": "123456789"}, True, {"siren"}),
        ({"town": "Lyon", "finess": "ABC"}, True, {"finess"}),
        ({"town": "Lyon", "line2": "x" * 121}, True, {"line2"}),
        ({"town": "Lyon", "email": "nope"}, False, {"email"}),
    ],
)
def test_the_typed_form(change: dict[str, str], postal_address: bool, errors: set[str]) -> None:
    values = {f"org-1-{name}": value for name, value in {**TYPED, **change}.items()}
    organisation, messages = organisation_from_form(values, "org-1-", postal_address=postal_address)
    assert set(messages) == {f"org-1-{name}" for name in errors}
    assert (organisation is None) == bool(errors)
    if organisation is not None and change.get("town"):
        assert organisation.address_lines[-1] == "69006 Lyon"


def test_an_empty_row_is_no_organisation() -> None:
    assert organisation_from_form({"org-0-name": "  "}, "org-0-") == (None, {})


def test_the_wizard_form_names_its_fields() -> None:
    organisation, errors = wizard_organisation({"name": "", "line1": "x" * 121, "email": "a@"})
    assert organisation is None
    assert set(errors) == {"name", "line1", "email"}
    organisation, errors = wizard_organisation(
        {"name": "Cabinet Martin", "line1": "2 place Bellecour", "line3": "69002 Lyon"}
    )
    assert errors == {}
    assert organisation is not None
    assert organisation.address_lines == ["2 place Bellecour", "69002 Lyon"]
