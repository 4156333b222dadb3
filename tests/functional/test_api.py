"""The JSON API: platforms and letters, with 422 naming the field."""

from typing import Any

import pytest

from tests.support.pagecheck import CheckedClient


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
        ({"identity": {"family_name": "Dupont"}}, ["body", "erasure", "identity", "given_name"]),
        ({"format": "docx"}, ["body", "erasure", "format"]),
        ({"options": {"grounds": ["boredom"]}}, ["body", "erasure", "options", "grounds", 0]),
        ({"options": {"grounds": []}}, ["body", "erasure", "options", "grounds"]),
        ({"options": {"sovereignty": True}}, ["body", "erasure", "options", "sovereignty"]),
        ({"platform": None}, ["body", "platform"]),
        ({"extra": 1}, ["body", "erasure", "extra"]),
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
    locations = [e["loc"] for e in response.json()["detail"]]
    assert ["body", "erasure", "identity", "family_name"] in locations


def test_openapi_description_is_served_outside_production(client: CheckedClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/letters" in spec["paths"]


KIND_OPTIONS: dict[str, dict[str, Any]] = {
    "access": {"sovereignty": False},
    "erasure": {"grounds": ["objection"], "close_account": False},
    "objection": {"purposes": ["prospecting"]},
    "rectification": {"corrections": [{"current": "Dupond", "corrected": "Dupont"}]},
    "portability": {"transmit_to": "Clinique du Parc"},
    "medical-record": {"delivery": "on-site", "addressee": "practitioner"},
    "reminder": {"request_date": "2026-01-05", "received": "2026-01-07"},
    "incomplete-answer": {"missing": ["copy", "retention"]},
    "complaint-file": {"outcome": "incomplete"},
    "cada-referral": {"refusal_date": "2026-02-01"},
    "mandate": {"agent": {"name": "Jeanne Dupont"}, "answers_to": "agent"},
}


@pytest.mark.parametrize("kind", list(KIND_OPTIONS))
@pytest.mark.parametrize(
    ("fmt", "media", "marker"),
    [
        ("pdf", "application/pdf", b"%PDF-"),
        ("txt", "text/plain; charset=utf-8", b"Marie Dupont"),
        ("eml", "message/rfc822", b"Subject: "),
    ],
)
def test_every_kind_in_every_format(
    client: CheckedClient,
    identity_data: dict[str, Any],
    kind: str,
    fmt: str,
    media: str,
    marker: bytes,
) -> None:
    response = client.post(
        "/api/v1/letters",
        json={
            "kind": kind,
            "platform": "doctolib",
            "identity": identity_data,
            "options": KIND_OPTIONS[kind],
            "format": fmt,
            "date": "2026-03-05",
        },
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media
    assert marker in response.content


def test_a_pack_as_one_pdf_or_a_zip(client: CheckedClient, identity_data: dict[str, Any]) -> None:
    items = [
        {"platform": "doctolib", "kind": "access"},
        {"platform": "withings", "kind": "erasure", "options": {"grounds": ["unlawful"]}},
        {
            "organisation": {
                "name": "CHU Exemple",
                "address_lines": ["1 place de l'Hôpital", "01000 Exemple"],
                "siren": "356000000",
                "finess": "010000000",
                "category": "hospital",
                "public": True,
                "email": None,
            },
            "kind": "cada-referral",
        },
    ]
    pdf = client.post("/api/v1/letters/pack", json={"identity": identity_data, "items": items})
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == 'attachment; filename="reprise-lettres.pdf"'
    zipped = client.post(
        "/api/v1/letters/pack",
        json={"identity": identity_data, "items": items, "format": "zip"},
    )
    assert zipped.status_code == 200
    assert zipped.headers["content-type"] == "application/zip"
    assert zipped.content.startswith(b"PK")


@pytest.mark.parametrize(
    ("item", "loc"),
    [
        ({"platform": "doctolib", "kind": "nope"}, ["body", "items", 0, "kind"]),
        (
            {"platform": "doctolib", "kind": "erasure", "options": {"grounds": []}},
            ["body", "items", 0, "erasure", "options", "grounds"],
        ),
        ({"platform": "nope", "kind": "access"}, ["body", "items", "0", "platform"]),
        (
            {"organisation": {"name": "Clinique", "public": False}, "kind": "cada-referral"},
            ["body", "items", "0", "kind"],
        ),
    ],
)
def test_bad_pack_items_get_422_naming_the_item(
    client: CheckedClient, identity_data: dict[str, Any], item: dict[str, Any], loc: list[Any]
) -> None:
    response = client.post(
        "/api/v1/letters/pack", json={"identity": identity_data, "items": [item]}
    )
    assert response.status_code == 422
    assert loc in [error["loc"] for error in response.json()["detail"]]
