"""The observatory where people see it: the ranked page with its filters, chart, method and CSV,
each platform's page, the JSON API, an association's members' figures, the choice on
/compte/rappels and the privacy page; in French and in English."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlmodel import Session

from app.models.proceeding import TrackingPreference
from app.observatory.figures import compute, figures_date
from app.observatory.published import publish
from tests.pagecheck import CheckedClient
from tests.support.pages import signed, text
from tests.support.tracking import people, person, request
from tests.texts import plain
from tests.world import build_world


def read(response: Any) -> str:
    """The page as a person reads it (no-break spaces as spaces)."""
    return plain(text(response))


def test_the_ranking_worst_first_with_chart_table_method_and_csv(
    client: CheckedClient, db: Session
) -> None:
    people(db, 10, slug="maiia")
    people(db, 10, slug="doctolib", answer_after=None)
    page = client.get("/observatoire")
    assert page.status_code == 200
    body = read(page)
    assert "<svg" in body
    assert body.index("Doctolib") < body.index("Maiia")  # never answers: first
    assert "Toujours sans réponse après le délai" in body
    assert "Comment ces chiffres sont faits" in body
    assert "Licence Ouverte" in body
    assert "environ 10" in body
    download = client.get("/observatoire/chiffres.csv")
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [(r["platform"], r["on_time_share"], r["unanswered_share"]) for r in rows] == [
        ("doctolib", "0", "100"),
        ("maiia", "100", "0"),
    ]


def test_filters_by_right_and_category(client: CheckedClient, db: Session) -> None:
    people(db, 10, slug="doctolib")
    people(db, 10, slug="ap-hp", right="medical-record")
    by_right = read(client.get("/observatoire?right=medical-record"))
    assert "AP-HP" in by_right
    assert ">Doctolib<" not in by_right
    by_category = read(client.get("/observatoire?category=booking"))
    assert ">Doctolib<" in by_category
    assert "AP-HP" not in by_category
    # Unknown values show everything rather than fail.
    assert ">Doctolib<" in read(client.get("/observatoire?category=nimporte&right=quoi"))
    csv_text = client.get("/observatoire/chiffres.csv?right=medical-record").text
    assert "ap-hp" in csv_text
    assert "doctolib" not in csv_text


def test_the_platform_page_shows_how_it_answers(client: CheckedClient, db: Session) -> None:
    people(db, 9)
    before = read(client.get("/plateformes/doctolib"))
    assert "Comment cette organisation répond" in before
    assert "Pas encore de chiffres" in before
    assert "<svg" not in before
    people(db, 1)
    # ten persons, but the month's figures are not published yet: the page computes nothing
    assert "Pas encore de chiffres" in read(client.get("/plateformes/doctolib"))
    publish(db, figures_date())
    after = read(client.get("/plateformes/doctolib"))
    assert "Pas encore de chiffres" not in after
    assert "<svg" in after
    assert "Les réponses de Doctolib, par demande et par année" in after
    as_of = compute(db).as_of
    assert f"chiffres au {as_of.day}" in after.replace("1er", "1")


def test_the_api_gives_the_same_figures(client: CheckedClient, db: Session) -> None:
    people(db, 10)
    data = client.get("/api/v1/observatory").json()
    assert data["threshold"] == 10
    [cell] = data["cells"]
    assert (cell["platform"], cell["requests"], cell["on_time_share"]) == ("doctolib", 10, 100)
    assert client.get("/api/v1/observatory?right=erasure").json()["cells"] == []
    refused = client.get("/api/v1/observatory?right=everything")
    assert refused.status_code == 422
    assert "right" in refused.text


def test_pages_in_english(client: CheckedClient, db: Session) -> None:
    people(db, 10)
    client.get("/langue/en?next=/observatoire")
    page = read(client.get("/observatoire"))
    assert "The observatory: how organisations answer" in page
    assert "Answered within the legal period" in page
    assert "How these figures are made" in page
    platform = read(client.get("/plateformes/doctolib"))
    assert "How this organisation answers" in platform
    assert client.get("/api/v1/observatory").json()["cells"][0]["name"] == "Doctolib"


def test_a_person_leaves_the_figures_from_the_reminders_page(app: Any, db: Session) -> None:
    world = build_world(db)
    people(db, 9)
    patient = world.users["patient"]
    from app.models.organisation import PatientFile

    own = db.get(PatientFile, world.ids["own_file"])
    assert own is not None
    from tests.support.tracking import Person

    request(db, Person(own))
    assert [c.requests for c in compute(db).cells] == [10]
    client, csrf = signed(app, world, "patient")
    with client:
        settings = read(client.get("/compte/rappels"))
        assert "Compter mes démarches dans les chiffres publics ?" in settings
        missing = client.post("/compte/observatoire", data={"csrf_token": csrf})
        assert missing.status_code == 422
        assert "Choisissez oui ou non." in read(missing)
        done = client.post(
            "/compte/observatoire",
            data={"csrf_token": csrf, "observatory": "non"},
            follow_redirects=False,
        )
        assert done.status_code == 303
    preference = db.get(TrackingPreference, patient.id)
    assert preference is not None
    assert preference.observatory is False
    assert compute(db).cells == ()


def test_an_association_admin_sees_the_members_figures(app: Any, db: Session) -> None:
    world = build_world(db)
    member_file = world.ids["member_file"]
    from app.models.organisation import PatientFile

    association = db.get(PatientFile, member_file)
    assert association is not None
    for _ in range(10):
        request(db, person(db, association_id=association.association_id))
    people(db, 10, slug="maiia")
    client, _csrf = signed(app, world, "admin")
    with client:
        page = read(client.get("/association/observatoire"))
    assert ">Doctolib<" in page
    assert ">Maiia<" not in page
    other, _csrf = signed(app, world, "admin_other")
    with other:
        assert "Pas encore de chiffres" in read(other.get("/association/observatoire"))


def test_the_privacy_page_states_the_default_and_the_legal_basis(client: CheckedClient) -> None:
    page = read(client.get("/confidentialite"))
    assert "Les chiffres publics de l'observatoire" in page
    assert "comptent par défaut" in page
    assert "articles 6, paragraphe 4, et 89" in page
    assert "article 21" in page
