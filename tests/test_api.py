"""The JSON API: platforms and letters, with 422 naming the field."""

from typing import Any

import pytest

from tests.pagecheck import CheckedClient


def test_platform_list_and_search(client: CheckedClient) -> None:
    everything = client.get("/api/v1/platforms").json()
    assert len(everything) >= 5
    found = client.get("/api/v1/platforms", params={"q": "withings.com"}).json()
    assert [platform["slug"] for platform in found] == ["withings"]


def test_one_platform_and_unknown_slug(client: CheckedClient) -> None:
    doctolib = client.get("/api/v1/platforms/doctolib").json()
    assert doctolib["contact"]["email"] == "contact.dataprivacy@doctolib.com"
    assert doctolib["sources"]["policy"]["url"].startswith("https://")
    missing = client.get("/api/v1/platforms/nope")
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("fmt", "media", "marker"),
    [
        ("pdf", "application/pdf", b"%PDF-"),
        ("txt", "text/plain; charset=utf-8", b"Marie Dupont"),
        ("eml", "message/rfc822", b"Subject: "),
    ],
)
def test_letters_in_three_formats(
    client: CheckedClient, identity_data: dict[str, Any], fmt: str, media: str, marker: bytes
) -> None:
    response = client.post(
        "/api/v1/letters",
        json={
            "kind": "erasure",
            "platform": "doctolib",
            "identity": identity_data,
            "format": fmt,
        },
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media
    assert marker in response.content
    assert response.headers["content-disposition"].endswith(f'.{fmt}"')


def test_email_message_is_addressed_to_the_privacy_contact(
    client: CheckedClient, identity_data: dict[str, Any]
) -> None:
    response = client.post(
        "/api/v1/letters",
        json={
            "kind": "erasure",
            "platform": "doctolib",
            "identity": identity_data,
            "format": "eml",
        },
    )
    text = response.content.decode()
    assert "To: Doctolib SAS <contact.dataprivacy@doctolib.com>" in text
    assert "From: Marie Dupont <marie.dupont@example.org>" in text


def test_letter_to_a_recipient_typed_by_hand(
    client: CheckedClient, identity_data: dict[str, Any]
) -> None:
    response = client.post(
        "/api/v1/letters",
        json={
            "kind": "erasure",
            "recipient": {
                "name": "Clinique du Parc",
                "address_lines": ["1 rue du Parc", "69006 Lyon"],
            },
            "identity": identity_data,
            "format": "txt",
        },
    )
    assert response.status_code == 200
    assert "Clinique du Parc\n1 rue du Parc\n69006 Lyon" in response.text


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"kind": "divination"}, ["body", "kind"]),
        ({"identity": {"family_name": "Dupont"}}, ["body", "identity", "given_name"]),
        ({"format": "docx"}, ["body", "format"]),
        ({"options": {"grounds": ["boredom"]}}, ["body", "options", "grounds", "0"]),
        ({"platform": None}, ["body", "platform"]),
        ({"extra": 1}, ["body", "extra"]),
    ],
)
def test_bad_letter_requests_get_422_naming_the_field(
    client: CheckedClient, identity_data: dict[str, Any], change: dict[str, Any], loc: list[str]
) -> None:
    body = {"kind": "erasure", "platform": "doctolib", "identity": identity_data, **change}
    response = client.post("/api/v1/letters", json=body)
    assert response.status_code == 422
    assert loc in [error["loc"] for error in response.json()["detail"]]


def test_oversized_fields_are_refused(client: CheckedClient, identity_data: dict[str, Any]) -> None:
    identity_data["family_name"] = "x" * 5000
    response = client.post(
        "/api/v1/letters",
        json={
            "kind": "erasure",
            "platform": "doctolib",
            "identity": identity_data,
        },
    )
    assert response.status_code == 422
    assert ["body", "identity", "family_name"] in [e["loc"] for e in response.json()["detail"]]


def test_openapi_description_is_served_outside_production(client: CheckedClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/letters" in spec["paths"]
