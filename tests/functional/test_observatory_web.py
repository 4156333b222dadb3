"""The observatory where people see it: the ranked page with its filters, chart, method and CSV,
each platform's page, the JSON API, an association's members' figures, the choice on
/compte/rappels and the privacy page; in French and in English."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from app import clock
from app.db import make_engine
from app.migrate import upgrade
from app.models.observatory import Publication, PublishedCell
from app.models.organisation import AuditEntry, PatientFile
from app.models.proceeding import TrackingPreference
from app.observatory.figures import Figures, compute, figures_date
from app.observatory.published import published
from tests.conftest import CapturedMail, drop_postgres_database, fresh_database_url
from tests.support.pagecheck import CheckedClient
from tests.support.pages import signed, text
from tests.support.texts import plain
from tests.support.tracking import people, person, request
from tests.support.world import build_world, make_mandate


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
    # ten persons, but the month's figures were published with nine: they hold for the month
    assert "Pas encore de chiffres" in read(client.get("/plateformes/doctolib"))
    clock.set_now(clock.now() + dt.timedelta(days=32))
    after = read(client.get("/plateformes/doctolib"))
    assert "Pas encore de chiffres" not in after
    assert "<svg" in after
    assert "Les réponses de Doctolib, par demande et par année" in after
    as_of = compute(db).as_of
    assert f"chiffres au {as_of.day}" in after.replace("1er", "1")


def test_one_more_request_between_two_visits_moves_no_public_figure(
    client: CheckedClient, db: Session
) -> None:
    """The page, the API, the CSV and the platform page show the month's published cells: a
    counted request added between two visits (enough to change the rounded figures if they
    were computed again) changes none of them until the next month's publication."""
    people(db, 12)

    def seen() -> tuple[str, Any, str, str]:
        return (
            read(client.get("/observatoire")),
            client.get("/api/v1/observatory").json(),
            client.get("/observatoire/chiffres.csv").text,
            read(client.get("/plateformes/doctolib")),
        )

    before = seen()
    assert before[1]["cells"][0]["requests"] == 10
    # A thirteenth person's old request, never answered: 15 requests once rounded.
    request(db, person(db), answer_after=None)
    assert [c.requests for c in compute(db).cells] == [15]
    assert seen() == before
    clock.set_now(clock.now() + dt.timedelta(days=32))
    after = client.get("/api/v1/observatory").json()
    assert after["cells"][0]["requests"] == 15
    assert after["as_of"] == figures_date().isoformat() != before[1]["as_of"]


def test_two_first_readers_at_the_same_moment_publish_the_month_once(
    backend: str, tmp_path: Path
) -> None:
    """Two readers, each in its own transaction on a real database, find the month not yet
    published at the same moment: one publishes, the other waits and reads the same cells."""
    url = fresh_database_url(backend, tmp_path, "publish")
    upgrade("head", url)
    engine = make_engine(url)
    try:
        with Session(engine) as db:
            people(db, 10)
            db.commit()
        start = threading.Barrier(2)

        def reader(_number: int) -> Figures:
            with Session(engine) as db:
                start.wait()
                figures = published(db)
                db.commit()
                return figures

        with ThreadPoolExecutor(max_workers=2) as pool:
            first, second = pool.map(reader, range(2))
        assert first == second
        assert [c.requests for c in first.cells] == [10]
        with Session(engine) as db:
            assert [p.as_of for p in db.exec(select(Publication)).all()] == [figures_date()]
            assert len(db.exec(select(PublishedCell)).all()) == 1
    finally:
        engine.dispose()
        if backend == "postgresql":
            drop_postgres_database(engine.url.database or "")


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
    # A member followed by an association without an account objects through it.
    assert "un de ses administrateurs le note sur votre fiche" in page
    client.get("/langue/en?next=/confidentialite")
    english = read(client.get("/confidentialite"))
    assert "Your requests count by default" in english
    assert "articles 6(4) and 89" in english
    assert "You can object at any time (GDPR, article 21)" in english
    assert "one of its administrators records it on your file" in english


def test_an_administrator_records_the_objection_of_a_member_without_an_account(
    app: Any, db: Session, mail: CapturedMail
) -> None:
    """A member followed without an account objects through their association: an
    administrator records it on the member's page (audited), the member's requests leave the
    figures; the member who then gets an account finds the choice on /compte/rappels and can
    change it."""
    world = build_world(db)
    own = db.get(PatientFile, world.ids["member_file"])
    assert own is not None
    people(db, 9)
    member = person(db, association_id=own.association_id)
    request(db, member)
    make_mandate(db, member.file, world.users["helper_with_mandate"])
    assert [c.persons for c in compute(db).cells] == [10]
    path = f"/association/membres/{member.file.id}"
    helper, helper_csrf = signed(app, world, "helper_with_mandate")
    with helper:
        assert "un administrateur de l'association le note ici" in read(helper.get(path))
        refused = helper.post(
            f"{path}/observatoire", data={"csrf_token": helper_csrf, "objection": "oui"}
        )
        assert refused.status_code == 403
    assert len(compute(db).cells) == 1
    admin, csrf = signed(app, world, "admin")
    with admin:
        page = read(admin.get(path))
        assert "articles 6, paragraphe 4, et 89" in page
        assert "article 21" in page
        assert "Pour l'instant, ses démarches comptent dans ces chiffres." in page
        done = admin.post(
            f"{path}/observatoire",
            data={"csrf_token": csrf, "objection": "oui"},
            follow_redirects=False,
        )
        assert done.status_code == 303
        page = read(admin.get(path))
        assert "Opposition notée le" in page
        assert "Retirer l'opposition (le membre a changé d'avis)" in page
        assert compute(db).cells == ()
        audit = db.exec(select(AuditEntry.action).where(AuditEntry.file_id == member.file.id))
        assert "observatoire.opposition" in list(audit)
        admin.post(f"{path}/acces", data={"email": "other.patient@example.org", "csrf_token": csrf})
    link = mail.link("/invitation/")
    patient, patient_csrf = signed(app, world, "other_patient")
    with patient:
        patient.get(link)
        accepted = patient.post(
            "/invitation",
            data={"token": link.rsplit("/", 1)[1], "csrf_token": patient_csrf},
            follow_redirects=False,
        )
        assert accepted.headers["location"] == "/compte"
        settings = read(patient.get("/compte/rappels"))
        assert "votre association a noté que vous ne voulez pas" in settings
        assert 'value="non" checked' in settings
        journal = read(patient.get("/compte/journal"))
        assert "Opposition aux chiffres publics de l'observatoire notée" in journal
        assert compute(db).cells == ()
        changed = patient.post(
            "/compte/observatoire",
            data={"csrf_token": patient_csrf, "observatory": "oui"},
            follow_redirects=False,
        )
        assert changed.status_code == 303
        settings = read(patient.get("/compte/rappels"))
        assert "votre association a noté" not in settings
        assert 'value="oui" checked' in settings
    db.refresh(member.file)
    assert member.file.observatory_objected_at is None
    assert [c.persons for c in compute(db).cells] == [10]
    with admin:
        assert "il fait ce choix lui-même" in read(admin.get(path))
