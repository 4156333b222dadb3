"""Discovery in pages: questions, checklist, organisations, the selection handed to the letters."""

import html
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from app.accounts.sessions import find_session
from app.catalogue.companies import CompanySearch
from app.catalogue.establishments import import_file
from app.catalogue.questionnaire import QUESTIONS
from app.cookies import session_cookie_name
from app.letters.drafts import load_draft
from app.web.routes import organisations
from tests.conftest import csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.paths import FIXTURES


def draft_of(client: CheckedClient, db: Session) -> dict[str, Any]:
    session = find_session(db, client.cookies.get(session_cookie_name()))
    return load_draft(db, session)


def errors_in(page: str) -> list[str]:
    found = re.findall(r'class="error-message"[^>]*>.*?</span>\s*(.*?)</p>', page, re.S)
    return [html.unescape(message.strip()) for message in found]


def answer(client: CheckedClient, token: str, question: str, *choices: str) -> str:
    response = client.post(
        f"/decouvrir/questions/{question}",
        data={"csrf_token": token, "choice": list(choices)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


@pytest.fixture
def token(client: CheckedClient) -> str:
    return csrf_from(client.get("/decouvrir/questions/rendez-vous").text)


def test_the_intro_and_every_question_page(client: CheckedClient) -> None:
    intro = client.get("/decouvrir")
    assert "Commencer" in intro.text
    for question in QUESTIONS:
        page = client.get(f"/decouvrir/questions/{question.id}")
        assert page.status_code == 200
        assert 'type="checkbox"' in page.text
    assert client.get("/decouvrir/questions/nope").status_code == 404


def test_answers_lead_from_question_to_question_then_to_the_list(
    client: CheckedClient, db: Session, token: str
) -> None:
    assert (
        answer(client, token, "rendez-vous", "doctolib") == "/decouvrir/questions/teleconsultation"
    )
    assert answer(client, token, QUESTIONS[-1].id) == "/decouvrir/liste"
    assert draft_of(client, db)["discovery"]["answers"] == {
        "rendez-vous": ["doctolib"],
        QUESTIONS[-1].id: [],
    }
    page = client.get("/decouvrir/questions/rendez-vous")
    assert re.search(r'value="doctolib" [^>]*checked', page.text)  # the answer is shown again
    assert "Reprendre les questions" in client.get("/decouvrir").text


def test_a_choice_the_question_does_not_offer_is_refused(
    client: CheckedClient, db: Session, token: str
) -> None:
    response = client.post(
        "/decouvrir/questions/rendez-vous",
        data={"csrf_token": token, "choice": ["withings"]},
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert errors_in(response.text) == ["Choisissez parmi les propositions de cette page."]
    assert "discovery" not in draft_of(client, db)


def test_posting_without_the_form_token_is_refused(client: CheckedClient, token: str) -> None:
    response = client.post("/decouvrir/questions/rendez-vous", data={"choice": ["doctolib"]})
    assert response.status_code == 403


def test_the_checklist_explains_and_the_choice_goes_to_the_letters(
    client: CheckedClient, db: Session, token: str
) -> None:
    answer(client, token, "rendez-vous", "doctolib")
    answer(client, token, "hopital", "ap-hp")
    answer(client, token, "recherche", "snds")
    page = html.unescape(client.get("/decouvrir/liste").text)
    assert "Écrire les lettres" in page
    assert "R1112-7" in page  # why not erasure at the hospital
    assert "Adresse à vérifier avant d'envoyer" in page  # AP-HP's address is not verified
    assert "Proposé parce que vous avez choisi AP-HP" in page  # its data warehouse
    assert re.search(r'<option value="medical-record" selected>', page)
    response = client.post(
        "/decouvrir/liste",
        data={
            "csrf_token": token,
            "include": ["p-doctolib", "p-ap-hp", "p-snds", "p-eds-aphp"],
            "kind-p-ap-hp": "access",
            "kind-p-doctolib": "erasure",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/lettres/lot"
    assert draft_of(client, db)["selection"] == [
        {"platform": "ap-hp", "kind": "access"},
        {"platform": "doctolib", "kind": "erasure"},
        {"platform": "snds", "kind": "objection"},
        {"platform": "eds-aphp", "kind": "objection"},  # suggested items come after the chosen
    ]
    again = client.get("/decouvrir/liste").text  # the choice is shown when coming back
    assert re.search(r'<option value="access" selected>', again)


def test_a_request_the_platform_cannot_take_is_named_and_nothing_is_stored(
    client: CheckedClient, db: Session, token: str
) -> None:
    answer(client, token, "hopital", "ap-hp")
    response = client.post(
        "/decouvrir/liste",
        data={"csrf_token": token, "include": ["p-ap-hp"], "kind-p-ap-hp": "erasure"},
    )
    assert response.status_code == 422
    assert errors_in(response.text) == [
        "Choisissez une des demandes proposées pour "
        "AP-HP (Assistance publique – Hôpitaux de Paris)."
    ]
    nothing = client.post("/decouvrir/liste", data={"csrf_token": token})
    assert errors_in(nothing.text) == ["Cochez au moins un organisme à qui écrire."]
    assert "selection" not in draft_of(client, db)


def test_an_address_typed_by_hand(client: CheckedClient, db: Session, token: str) -> None:
    page = html.unescape(client.get("/decouvrir/organisme").text)
    assert "désactivée sur ce serveur" in page  # the company search is off in tests
    assert "établissements de santé n'est pas installé" in page
    bad = client.post(
        "/decouvrir/organismes/saisie",
        data={"csrf_token": token, "name": "", "postal_code": "", "town": "", "email": "nope"},
    )
    assert bad.status_code == 422
    assert errors_in(bad.text) == [
        "Indiquez le nom de l'organisme.",
        "Indiquez une adresse e-mail complète, par exemple dpo@exemple.fr, ou laissez vide.",
    ]
    response = client.post(
        "/decouvrir/organismes/saisie",
        data={
            "csrf_token": token,
            "name": "Clinique du Parc",
            "line1": "1 rue du Parc",
            "postal_code": "69006",
            "town": "Lyon",
            "category": "hospital",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/decouvrir/liste"
    [organisation] = draft_of(client, db)["discovery"]["organisations"]
    assert organisation == {
        "name": "Clinique du Parc",
        "address_lines": ["1 rue du Parc", "69006 Lyon"],
        "email": None,
        "siren": None,
        "finess": None,
        "category": "hospital",
        "public": None,
    }
    page = client.get("/decouvrir/liste").text
    assert "Clinique du Parc" in page
    client.post("/decouvrir/organismes/retirer", data={"csrf_token": token, "remove": "o-0"})
    assert draft_of(client, db)["discovery"]["organisations"] == []


def test_an_establishment_from_the_finess_registry(
    client: CheckedClient, db: Session, token: str
) -> None:
    import_file(db, FIXTURES / "finess" / "etalab-cs1100502-sample.csv")
    page = client.get(
        "/decouvrir/organisme", params={"nom": "centre hospitalier", "ville": "cayene"}
    )
    assert "CENTRE HOSPITALIER DE CAYENNE" in page.text
    assert "97306 CAYENNE CEDEX" in page.text
    client.post(
        "/decouvrir/organismes/etablissement", data={"csrf_token": token, "finess": "970300026"}
    )
    client.post(
        "/decouvrir/organismes/etablissement", data={"csrf_token": token, "finess": "970300026"}
    )
    organisations_stored = draft_of(client, db)["discovery"]["organisations"]
    assert organisations_stored == [
        {
            "name": "CENTRE HOSPITALIER DE CAYENNE",
            "address_lines": ["AVENUE ALEXIS BLAISE", "BP 6006", "97306 CAYENNE CEDEX"],
            "email": None,
            "siren": "269733028",
            "finess": "970300026",
            "category": "hospital",
            "public": True,
        }
    ]
    client.post("/decouvrir/liste", data={"csrf_token": token, "include": ["o-0"]})
    assert draft_of(client, db)["selection"][0]["kind"] == "medical-record"
    missing = client.post(
        "/decouvrir/organismes/etablissement", data={"csrf_token": token, "finess": "999999999"}
    )
    assert missing.status_code == 404


@pytest.fixture
def company_search(app: Any) -> Iterator[list[httpx.Request]]:
    recorded = (FIXTURES / "recherche_entreprises" / "coise_search.json").read_text()
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=recorded, headers={"content-type": "application/json"})

    client = CompanySearch("https://recherche-entreprises.api.gouv.fr", httpx.MockTransport(answer))
    app.dependency_overrides[organisations.company_search] = lambda: client
    yield seen
    client.close()


def test_an_organisation_from_the_company_register(
    client: CheckedClient, db: Session, token: str, company_search: list[httpx.Request]
) -> None:
    page = client.get("/decouvrir/organisme", params={"entreprise": "mairie coise"})
    assert "COMMUNE DE COISE" in page.text
    assert "Seul le nom que vous tapez est envoyé" in page.text
    assert company_search[0].url.params["q"] == "mairie coise"
    lines = re.findall(r'name="address_line" value="([^"]+)"', page.text)
    client.post(
        "/decouvrir/organismes/entreprise",
        data={
            "csrf_token": token,
            "name": "COMMUNE DE COISE",
            "address_line": lines,
            "siren": "216900621",
            "category": "",
            "public": "oui",
        },
    )
    [stored] = draft_of(client, db)["discovery"]["organisations"]
    assert stored["address_lines"] == ["HOTEL DE VILLE", "69590 COISE"]
    assert stored["siren"] == "216900621"
    assert stored["public"] is True
    tampered = client.post(
        "/decouvrir/organismes/entreprise",
        data={"csrf_token": token, "name": "X", "siren": "123456789"},
    )
    assert tampered.status_code == 422


def test_the_catalogue_pages(client: CheckedClient, db: Session) -> None:
    listing = client.get("/plateformes")
    assert "Santé au travail" in listing.text
    assert listing.text.count('class="platform-item"') >= 80
    found = client.get("/plateformes", params={"q": "doctolbi"})
    assert 'href="/plateformes/doctolib"' in found.text
    detail = client.get("/plateformes/doctolib").text
    assert "contact.dataprivacy@doctolib.com" in detail
    assert "lu le 2026-11-28" in detail
    unverified = html.unescape(client.get("/plateformes/qare").text)
    assert "Vérifiez l'adresse avant d'envoyer" in unverified
    head_office = html.unescape(client.get("/plateformes/acms").text)
    assert "C'est l'adresse du siège" in head_office
    assert client.get("/plateformes/nope").status_code == 404
    token = csrf_from(detail)
    client.post("/decouvrir/plateformes", data={"csrf_token": token, "slug": "withings"})
    assert draft_of(client, db)["discovery"]["added"] == ["withings"]
    assert "Withings" in client.get("/decouvrir/liste").text


def test_starting_again_forgets_everything(client: CheckedClient, db: Session, token: str) -> None:
    answer(client, token, "adn", "23andme")
    client.post("/decouvrir/recommencer", data={"csrf_token": token})
    draft = draft_of(client, db)
    assert draft["discovery"]["answers"] == {}
    assert draft["selection"] == []


def test_the_catalogues_french_text_is_marked_french_on_an_english_checklist(
    client: CheckedClient, token: str
) -> None:
    """WCAG 3.1.2: the catalogue is written in French; on an English page, its reason and what
    the platform keeps are marked lang="fr" so a screen reader reads them in French."""
    answer(client, token, "rendez-vous", "doctolib")
    client.get("/langue/en", follow_redirects=False)
    page = html.unescape(client.get("/decouvrir/liste").text)
    assert '<html lang="en"' in page
    assert '<span lang="fr">Compte inactif' in page
    client.get("/langue/fr", follow_redirects=False)
    page_fr = html.unescape(client.get("/decouvrir/liste").text)
    assert '<span lang="fr">' not in page_fr
