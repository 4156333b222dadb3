"""The JSON API of discovery: questionnaire, checklist, establishments, organisations."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from app.api import discovery as discovery_api
from app.catalogue.companies import CompanySearch
from app.catalogue.establishments import import_file
from tests.support.pagecheck import CheckedClient
from tests.support.paths import FIXTURES
from tests.support.texts import plain


def test_the_questionnaire(client: CheckedClient) -> None:
    questions = client.get("/api/v1/questionnaire").json()
    assert len(questions) >= 12
    first = questions[0]
    assert first["id"] == "rendez-vous"
    assert plain(first["text"]) == "Avez-vous pris des rendez-vous médicaux sur internet ?"
    assert {"value": "doctolib", "name": "Doctolib"}.items() <= first["choices"][1].items() or any(
        choice["value"] == "doctolib" for choice in first["choices"]
    )
    hospital = next(question for question in questions if question["id"] == "hopital")
    assert hospital["choices"][-1]["value"] == "autre"


def test_the_questionnaire_in_english(client: CheckedClient) -> None:
    questions = client.get("/api/v1/questionnaire", headers={"Accept-Language": "en"}).json()
    assert questions[0]["text"] == "Have you booked medical appointments online?"


def test_the_checklist(client: CheckedClient) -> None:
    response = client.post(
        "/api/v1/checklist",
        json={
            "answers": {"adn": ["23andme"], "hopital": ["ap-hp"]},
            "organisations": [
                {
                    "name": "Clinique du Parc",
                    "address_lines": ["69006 Lyon"],
                    "category": "hospital",
                }
            ],
        },
    )
    assert response.status_code == 200, response.text
    items = {item["key"]: item for item in response.json()}
    assert items["p-23andme"]["kind"] == "erasure"
    assert items["p-ap-hp"]["kind"] == "medical-record"
    assert "R1112-7" in items["p-ap-hp"]["retention"]
    assert items["p-eds-aphp"]["selected"] is False
    assert items["o-0"]["organisation"]["name"] == "Clinique du Parc"
    assert items["o-0"]["kind"] == "medical-record"
    assert items["o-0"]["check_address"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {"nope": []}}, "nope"),
        ({"answers": {"adn": ["doctolib"]}}, "adn"),
        ({"organisations": [{"name": "X", "siren": "123456789"}]}, "siren"),
        ({"organisations": [{"name": "X", "email": "nope"}]}, "email"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_checklist_requests_name_the_field(
    client: CheckedClient, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/checklist", json=body)
    assert response.status_code == 422
    assert any(
        field in [str(part) for part in error["loc"]] or field in error["loc"][-1]
        for error in response.json()["detail"]
    )


def test_establishments_before_and_after_the_import(client: CheckedClient, db: Session) -> None:
    before = client.get("/api/v1/establishments", params={"q": "fleyriat"}).json()
    assert before == {"imported": False, "total": 0, "results": []}
    import_file(db, FIXTURES / "finess" / "etalab-cs1100502-sample.csv")
    after = client.get("/api/v1/establishments", params={"q": "fleyriat"}).json()
    assert after["results"][0]["finess"] == "010000024"
    assert after["results"][0]["public"] is True
    in_town = client.get("/api/v1/establishments", params={"town": "97150", "limit": 1}).json()
    assert in_town["total"] == 2
    assert len(in_town["results"]) == 1
    assert client.get("/api/v1/establishments", params={"limit": 500}).status_code == 422


def test_organisations_when_the_company_search_is_off(client: CheckedClient) -> None:
    response = client.get("/api/v1/organisations", params={"q": "clinique du parc"})
    assert response.status_code == 503
    assert "désactivée" in response.json()["detail"]
    assert client.get("/api/v1/organisations", params={"q": "ab"}).status_code == 422


@pytest.fixture
def recorded_search(app: Any) -> Iterator[None]:
    payload = (FIXTURES / "recherche_entreprises" / "coise_search.json").read_bytes()
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            200, content=payload, headers={"content-type": "application/json"}
        )
    )
    client = CompanySearch("https://recherche-entreprises.api.gouv.fr", transport)
    app.dependency_overrides[discovery_api.company_search] = lambda: client
    yield
    client.close()


def test_organisations_from_a_recorded_answer(client: CheckedClient, recorded_search: None) -> None:
    [coise] = client.get("/api/v1/organisations", params={"q": "mairie coise"}).json()
    assert coise == {
        "siren": "216900621",
        "name": "COMMUNE DE COISE",
        "address_lines": ["HOTEL DE VILLE", "69590 COISE"],
        "active": True,
        "public": True,
        "category": None,
        "finess": [],
    }
