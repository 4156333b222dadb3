"""`reprise deadline` and GET /api/v1/deadlines: the same JSON, exactly as contract.md shows."""

import json

import pytest

from tests.support.commands import reprise
from tests.support.pagecheck import CheckedClient

CONTRACT = {
    "regime": "gdpr",
    "received": "2026-03-05",
    "extended": False,
    "due": "2026-04-07",
    "not_before": None,
    "basis": "RGPD art. 12(3); règlement (CEE, Euratom) n° 1182/71",
}


def _contract_part(data: dict[str, object]) -> dict[str, object]:
    return {key: data[key] for key in CONTRACT}


def test_cli_prints_the_contract_example() -> None:
    result = reprise("deadline", "--regime", "gdpr", "--received", "2026-03-05")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert list(printed)[:6] == list(CONTRACT)
    assert _contract_part(printed) == CONTRACT
    assert result.stdout.startswith(
        '{"regime": "gdpr", "received": "2026-03-05", "extended": false, "due": "2026-04-07", '
        '"not_before": null, "basis": "RGPD art. 12(3); règlement (CEE, Euratom) n° 1182/71"'
    )


def test_api_returns_the_contract_example(client: CheckedClient) -> None:
    response = client.get(
        "/api/v1/deadlines",
        params={"regime": "gdpr", "received": "2026-03-05", "extended": "false"},
    )
    assert response.status_code == 200
    data = response.json()
    assert list(data)[:6] == list(CONTRACT)
    assert _contract_part(data) == CONTRACT


def test_cli_and_api_agree(client: CheckedClient) -> None:
    for args, params in [
        (
            ["--regime", "medical-record", "--received", "2025-12-31", "--older-than-5-years"],
            {"regime": "medical-record", "received": "2025-12-31", "older_than_5_years": "true"},
        ),
        (
            ["--regime", "gdpr", "--received", "2025-11-25", "--extended", "--alsace-moselle"],
            {
                "regime": "gdpr",
                "received": "2025-11-25",
                "extended": "true",
                "alsace_moselle": "true",
            },
        ),
        (
            [
                "--regime",
                "gdpr",
                "--received",
                "2026-03-05",
                "--identity-requested",
                "2026-03-10",
                "--identity-answered",
                "2026-03-20",
            ],
            {
                "regime": "gdpr",
                "received": "2026-03-05",
                "identity_requested": "2026-03-10",
                "identity_answered": "2026-03-20",
            },
        ),
    ]:
        result = reprise("deadline", *args)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == client.get("/api/v1/deadlines", params=params).json()


def test_medical_record_from_the_cli() -> None:
    result = reprise("deadline", "--regime", "medical-record", "--received", "2026-03-06")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["due"] == "2026-03-16"
    assert printed["not_before"] == "2026-03-08"
    assert printed["extended"] is False
    assert "L1111-7" in printed["basis"]
    assert "R1111-1" in printed["basis"]
    assert "641-642" in printed["basis"]


def test_extended_gdpr_from_the_api(client: CheckedClient) -> None:
    data = client.get(
        "/api/v1/deadlines", params={"regime": "gdpr", "received": "2026-03-05", "extended": "true"}
    ).json()
    assert data["extended"] is True
    assert data["due"] == "2026-06-05"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--regime", "gdpr", "--received", "2026-3-5"], "--received"),
        (["--regime", "gdpr", "--received", "20260305"], "--received"),
        (["--regime", "gdpr", "--received", "2026-02-30"], "--received"),
        (["--regime", "gdpr", "--received", "2017-03-05"], "--received"),
        (["--regime", "medical-record", "--received", "2026-03-05", "--extended"], "--extended"),
        (
            ["--regime", "gdpr", "--received", "2026-03-05", "--older-than-5-years"],
            "--older-than-5-years",
        ),
        (
            ["--regime", "gdpr", "--received", "2026-03-05", "--identity-answered", "2026-03-09"],
            "--identity-answered",
        ),
        (["--regime", "lawsuit", "--received", "2026-03-05"], "--regime"),
        (["--regime", "gdpr"], "--received"),
    ],
)
def test_cli_refuses_bad_input_with_exit_code_2(args: list[str], option: str) -> None:
    result = reprise("deadline", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert option in result.stderr


def test_cli_messages_in_english() -> None:
    result = reprise("deadline", "--regime", "gdpr", "--received", "2017-03-05", "--lang", "en")
    assert result.returncode == 2
    assert "--received: The GDPR applies to requests received from 25 May 2018" in result.stderr


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"regime": "gdpr"}, "received"),
        ({"regime": "lawsuit", "received": "2026-03-05"}, "regime"),
        ({"regime": "gdpr", "received": "5 March"}, "received"),
        ({"regime": "gdpr", "received": "2026-02-30"}, "received"),
        ({"regime": "gdpr", "received": "2017-03-05"}, "received"),
        ({"regime": "gdpr", "received": "9999-12-31"}, "received"),
        ({"regime": "gdpr", "received": "2026-03-05", "extended": "perhaps"}, "extended"),
        ({"regime": "medical-record", "received": "2026-03-05", "extended": "true"}, "extended"),
        (
            {"regime": "gdpr", "received": "2026-03-05", "older_than_5_years": "true"},
            "older_than_5_years",
        ),
        (
            {"regime": "gdpr", "received": "2026-03-05", "identity_requested": "2026-03-01"},
            "identity_requested",
        ),
    ],
)
def test_api_bad_input_is_a_422_naming_the_field(
    client: CheckedClient, params: dict[str, str], field: str
) -> None:
    response = client.get("/api/v1/deadlines", params=params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert ["query", field] in [error["loc"] for error in detail]
    assert all(error["msg"] for error in detail)


def test_api_messages_follow_the_language(client: CheckedClient) -> None:
    params = {"regime": "medical-record", "received": "2026-03-05", "extended": "true"}
    french = client.get("/api/v1/deadlines", params=params).json()["detail"][0]["msg"]
    english = client.get(
        "/api/v1/deadlines", params=params, headers={"Accept-Language": "en"}
    ).json()["detail"][0]["msg"]
    assert french == "La prolongation de deux mois n'existe que sous le RGPD."
    assert english == "The two-month extension only exists under the GDPR."


def test_api_pending_identity_request(client: CheckedClient) -> None:
    data = client.get(
        "/api/v1/deadlines",
        params={"regime": "gdpr", "received": "2026-03-05", "identity_requested": "2026-03-10"},
    ).json()
    assert data["due"] is None
    assert data["identity_requested"] == "2026-03-10"
    assert "RGPD art. 12(6)" in data["basis"]


def test_api_deadlines_are_described_in_openapi(client: CheckedClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    parameters = {p["name"] for p in spec["paths"]["/api/v1/deadlines"]["get"]["parameters"]}
    assert {"regime", "received", "extended", "older_than_5_years"} <= parameters
