"""Issue 10, items 7 and 8: a line break in a name or an email address never reaches an email
header (a 422 naming the field, never a 500), and the API takes one email address where it
asks for one, as the site does."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from app.letters.identity import Identity
from tests.conftest import csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.pages import error_messages, start_letter

RECIPIENT = {"name": "Clinique du Parc", "address_lines": ["1 rue du Parc", "69006 Lyon"]}


def eml(client: CheckedClient, recipient: dict[str, Any], identity: dict[str, Any]) -> Any:
    """The API's .eml of an erasure request to `recipient`."""
    letter = {"kind": "erasure", "recipient": recipient, "identity": identity, "format": "eml"}
    return client.post("/api/v1/letters", json=letter)


@pytest.mark.parametrize(
    ("where", "value", "loc"),
    [
        ("given_name", "Marie\nBcc: spy@evil.example", ["identity", "given_name"]),
        ("family_name", "Dupont\r\nX-Spam: yes", ["identity", "family_name"]),
        ("recipient_name", "Clinique\nBcc: spy@evil.example", ["recipient", "name"]),
        ("recipient_email", "dpo@clinique.fr\nBcc: spy@evil.example", ["recipient", "email"]),
        ("recipient_email", "dpo@acme.fr, spy@evil.example", ["recipient", "email"]),
        ("recipient_email", "javascript:alert(1)", ["recipient", "email"]),
        ("recipient_email", "Spy <spy@evil.example>", ["recipient", "email"]),
    ],
)
def test_an_eml_with_a_line_break_or_many_addresses_is_a_422_naming_the_field(
    client: CheckedClient, identity_data: dict[str, Any], where: str, value: str, loc: list[str]
) -> None:
    recipient = {**RECIPIENT, "email": "dpo@clinique.fr"}
    if where.startswith("recipient_"):
        recipient[where.removeprefix("recipient_")] = value
    else:
        identity_data[where] = value
    response = eml(client, recipient, identity_data)
    assert response.status_code == 422
    assert ["body", "erasure", *loc] in [error["loc"] for error in response.json()["detail"]]


def test_one_address_is_taken_as_the_site_takes_it(
    client: CheckedClient, identity_data: dict[str, Any]
) -> None:
    recipient = {**RECIPIENT, "email": "  DPO@Clinique.fr "}
    response = eml(client, recipient, identity_data)
    assert response.status_code == 200
    assert "To: Clinique du Parc <DPO@clinique.fr>" in response.text


def test_the_site_explains_a_line_break_in_a_name_next_to_the_field(
    client: CheckedClient,
) -> None:
    token = start_letter(client)
    response = client.post(
        "/lettres/identite",
        data={
            "given_name": "Marie\nBcc: spy@evil.example",
            "family_name": "Dupont",
            "address_line1": "12 rue des Lilas",
            "postal_code": "75011",
            "city": "Paris",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert "given_name" in error_messages(response.text)
    assert csrf_from(response.text)


@given(
    st.text(min_size=1, max_size=40).filter(lambda s: s.strip()),
    st.sampled_from([chr(c) for c in [*range(0x20), 0x7F]]),
    st.integers(min_value=0, max_value=40),
)
def test_no_control_character_survives_in_a_name(name: str, control: str, at: int) -> None:
    position = min(at, len(name))
    tainted = (name[:position] + control + name[position:]).strip() or control + "x"
    base = {
        "family_name": "Dupont",
        "postal_address": {"lines": ["1 rue"], "postal_code": "75011", "city": "Paris"},
    }
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in tainted):
        with pytest.raises(ValidationError):
            Identity.model_validate({**base, "given_name": tainted})
