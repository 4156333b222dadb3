"""Tracking in the pages: follow a letter, record what happened (one page each, errors next to
the field, nothing changed on error), the due date and its rule in plain French, the answer
checker and the letters written from the proceeding, the dashboard (overdue first), helpers
under mandate (audited), settings, calendar feed, export, deletion and purge."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from app.clock import today
from app.cookies import session_cookie_name
from app.models.organisation import AuditEntry, PatientFile, StoredLetter
from app.models.proceeding import Proceeding
from app.patients.files import store_letter
from app.proceedings.events import Event
from app.proceedings.service import events_of, record, track_letter
from tests.support.documents import pdf_text
from tests.support.pagecheck import CheckedClient
from tests.support.pages import date_form, error_messages, signed, start_letter, text
from tests.support.texts import plain
from tests.support.world import IDENTITY, PASSWORD, World, make_mandate

TODAY = today()


def past_request(
    db: Session, world: World, days_ago: int = 70, platform: str = "doctolib", kind: str = "access"
) -> uuid.UUID:
    """The patient's own request, its letter written `days_ago` days ago, tracked."""
    file = db.get(PatientFile, world.ids["own_file"])
    assert file is not None
    letter = store_letter(
        db,
        file,
        kind,
        platform,
        IDENTITY,
        None,
        world.users["patient"].id,
        TODAY - dt.timedelta(days=days_ago),
    )
    proceeding, _created = track_letter(db, file, letter, world.users["patient"].id, TODAY)
    db.commit()
    return proceeding.id


# ------------------------------------------------------------------ following a letter


def test_signed_out_the_preview_says_an_account_is_needed(
    client: CheckedClient, identity_data: dict[str, Any]
) -> None:
    token = start_letter(client)
    client.post(
        "/lettres/identite",
        data={
            "csrf_token": token,
            "given_name": "Marie",
            "family_name": "Dupont",
            "address_line1": "12 rue des Lilas",
            "postal_code": "75011",
            "city": "Paris",
            "country": "FR",
        },
    )
    page = text(client.get("/lettres/apercu"))
    assert "Pour suivre cette demande" in page
    assert "il faut un compte" in page
    assert 'action="/suivi"' not in page


def test_follow_the_letter_being_written_then_record_sending_and_receipt(
    app: Any, db: Session, world: World
) -> None:
    client, csrf = signed(app, world, "other_patient")
    with client:
        token = start_letter(client)
        client.post(
            "/lettres/identite",
            data={
                "csrf_token": token,
                "given_name": "Zoé",
                "family_name": "Martin",
                "address_line1": "1 rue Haute",
                "postal_code": "69001",
                "city": "Lyon",
                "country": "FR",
            },
        )
        preview = text(client.get("/lettres/apercu"))
        assert "Suivre cette demande" in preview
        created = client.post("/suivi", data={"csrf_token": csrf}, follow_redirects=False)
        assert created.status_code == 303
        location = created.headers["location"]
        assert location.endswith("?fait=suivi")
        detail = text(client.get(location))
        assert "Demande à Doctolib" in detail
        assert "Envoyez la lettre, puis indiquez la date d'envoi" in detail
        assert "Pas encore de date limite" in detail
        # the same letter again: the proceeding already exists
        again = client.post("/suivi", data={"csrf_token": csrf}, follow_redirects=False)
        assert again.headers["location"].split("?")[0] == location.split("?")[0]
        assert again.headers["location"].endswith("fait=deja")
        base = location.split("?")[0]

        # a date in the future is refused next to the field, nothing changes
        bad = client.post(
            f"{base}/etapes/envoi",
            data={"csrf_token": csrf, **date_form(TODAY + dt.timedelta(days=2)), "channel": "post"},
        )
        assert bad.status_code == 422
        assert error_messages(bad.text)["date"] == "Cette date est dans le futur."
        bad = client.post(
            f"{base}/etapes/envoi",
            data={
                "csrf_token": csrf,
                "date_day": "31",
                "date_month": "2",
                "date_year": "2026",
                "channel": "post",
            },
        )
        assert "cette date n'existe pas" in text(bad)
        pid = uuid.UUID(base.rsplit("/", 1)[1])
        proceeding = db.get(Proceeding, pid)
        assert proceeding is not None
        db.refresh(proceeding)
        assert len(events_of(proceeding)) == 1

        sent = client.post(
            f"{base}/etapes/envoi",
            data={
                "csrf_token": csrf,
                **date_form(TODAY),
                "channel": "post",
                "reference": "1A 234 567",
            },
            follow_redirects=False,
        )
        assert sent.status_code == 303
        page = text(client.get(base))
        assert "estimation" in page
        assert "3 jours ouvrables plus tard" in page
        assert "1A 234 567" in page
        assert "Indiquez la date de réception dès que vous la connaissez" in page

        # receiving before sending is refused
        bad = client.post(
            f"{base}/etapes/reception",
            data={"csrf_token": csrf, **date_form(TODAY - dt.timedelta(days=1))},
        )
        assert bad.status_code == 422
        assert "reçue avant d'être envoyée" in html.unescape(error_messages(bad.text)["date"])
        client.post(f"{base}/etapes/reception", data={"csrf_token": csrf, **date_form(TODAY)})
        page = text(client.get(base))
        assert "estimation" not in page.split("Comment cette date")[0]
        assert "L'organisme a reçu votre demande le" in page
        assert "Le RGPD (article 12) donne un mois" in page
        # the sending cannot be recorded twice: the page is not offered
        assert client.get(f"{base}/etapes/envoi").status_code == 409


def test_the_due_date_and_the_next_step_follow_the_events(
    app: Any, db: Session, world: World, tmp_path: Path
) -> None:
    pid = past_request(db, world)
    client, csrf = signed(app, world, "patient")
    base = f"/suivi/{pid}"
    with client:
        client.post(
            f"{base}/etapes/envoi",
            data={
                "csrf_token": csrf,
                **date_form(TODAY - dt.timedelta(days=68)),
                "channel": "post",
            },
        )
        client.post(
            f"{base}/etapes/reception",
            data={"csrf_token": csrf, **date_form(TODAY - dt.timedelta(days=66))},
        )
        page = text(client.get(base))
        assert "en retard de" in page
        assert "Envoyez une relance" in page
        # overdue: the reminder letter is written from the proceeding's own dates
        assert (
            client.post(
                f"{base}/lettres",
                data={"csrf_token": csrf, "kind": "reminder"},
                follow_redirects=False,
            ).status_code
            == 303
        )
        proceeding = db.get(Proceeding, pid)
        assert proceeding is not None
        letters = db.exec(select(StoredLetter).where(StoredLetter.proceeding_id == pid)).all()
        assert len(letters) == 2
        page = text(client.get(base))
        assert "Envoyez la lettre, puis indiquez la date d'envoi" in page
        href = re.findall(r'href="(/suivi/[^"]+/lettre\.pdf)"', page)[-1]
        letter_text = pdf_text(client.get(href).content, tmp_path)
        assert "relance de ma demande du" in letter_text
        assert (TODAY - dt.timedelta(days=66)).strftime("%Y") in letter_text
        assert "reçue le" in letter_text
        # the reminder goes out; a practical 15-day wait follows
        client.post(
            f"{base}/etapes/relance",
            data={"csrf_token": csrf, **date_form(TODAY), "channel": "email"},
        )
        page = text(client.get(base))
        assert "choix pratique de Reprise" in page
        assert "Attendez la réponse" in page
        # undo the reminder: back to the overdue request
        client.post(f"{base}/annuler", data={"csrf_token": csrf})
        assert "Envoyez la lettre, puis indiquez" in text(client.get(base))


def test_the_answer_checker_writes_the_incomplete_answer_letter(
    app: Any, db: Session, world: World, tmp_path: Path
) -> None:
    pid = past_request(db, world, days_ago=20)
    client, csrf = signed(app, world, "patient")
    base = f"/suivi/{pid}"
    with client:
        client.post(
            f"{base}/etapes/envoi",
            data={
                "csrf_token": csrf,
                **date_form(TODAY - dt.timedelta(days=19)),
                "channel": "post",
                "reference": "RR123",
            },
        )
        client.post(
            f"{base}/etapes/reception",
            data={"csrf_token": csrf, **date_form(TODAY - dt.timedelta(days=17))},
        )
        checker = text(client.get(f"{base}/verifier"))
        assert "Une copie de vos données" in checker
        assert "Combien de temps elle les garde" in checker
        ticked = [
            "confirmation",
            "copy",
            "purposes",
            "categories",
            "recipients",
            "rights",
            "complaint",
            "source",
            "automated",
            "safeguards",
            "hosting",
            "hds",
            "transfers",
        ]
        response = client.post(
            f"{base}/verifier",
            data={
                "csrf_token": csrf,
                **date_form(TODAY - dt.timedelta(days=2)),
                "contained": ticked,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        page = text(client.get(base))
        assert "Réponse incomplète" in page
        assert "Écrivez la lettre de réponse incomplète" in page
        client.post(f"{base}/lettres", data={"csrf_token": csrf, "kind": "incomplete-answer"})
        page = text(client.get(base))
        href = re.findall(r'href="(/suivi/[^"]+/lettre\.pdf)"', page)[-1]
        letter_text = pdf_text(client.get(href).content, tmp_path)
        assert "durée de conservation" in letter_text  # the one item not ticked
        assert "finalités" not in letter_text  # ticked, so not claimed
        assert "RR123" in letter_text


def test_the_complaint_file_holds_the_chronology_and_the_proof(
    app: Any, db: Session, world: World, tmp_path: Path
) -> None:
    pid = past_request(db, world, days_ago=40)
    client, csrf = signed(app, world, "patient")
    base = f"/suivi/{pid}"
    with client:
        client.post(
            f"{base}/etapes/envoi",
            data={
                "csrf_token": csrf,
                **date_form(TODAY - dt.timedelta(days=39)),
                "channel": "post",
                "reference": "1A 999",
            },
        )
        client.post(
            f"{base}/etapes/reception",
            data={"csrf_token": csrf, **date_form(TODAY - dt.timedelta(days=37))},
        )
        client.post(
            f"{base}/etapes/reponse",
            data={
                "csrf_token": csrf,
                **date_form(TODAY - dt.timedelta(days=3)),
                "outcome": "refusal",
            },
        )
        page = text(client.get(base))
        assert "Préparez le dossier de réclamation pour la CNIL" in page
        client.post(f"{base}/lettres", data={"csrf_token": csrf, "kind": "complaint-file"})
        page = text(client.get(base))
        href = re.findall(r'href="(/suivi/[^"]+/lettre\.pdf)"', page)[-1]
        letter_text = pdf_text(client.get(href).content, tmp_path)
        assert "Chronologie" in letter_text
        assert "1A 999" in letter_text
        assert "l’organisme reçoit ma demande" in letter_text.replace("'", "’")
        assert "refuse de donner suite" in letter_text
        client.post(
            f"{base}/etapes/reclamation",
            data={"csrf_token": csrf, **date_form(TODAY), "authority": "cnil"},
        )
        assert "Attendez la réponse de l'autorité" in text(client.get(base))


def test_impossible_steps_are_refused_and_change_nothing(
    app: Any, db: Session, world: World
) -> None:
    pid = past_request(db, world)
    client, csrf = signed(app, world, "patient")
    base = f"/suivi/{pid}"
    with client:
        # nothing sent: no receipt, no checker, no follow-up letter
        assert (
            client.post(
                f"{base}/etapes/reception", data={"csrf_token": csrf, **date_form(TODAY)}
            ).status_code
            == 409
        )
        assert client.get(f"{base}/verifier").status_code == 409
        assert (
            client.post(
                f"{base}/lettres", data={"csrf_token": csrf, "kind": "complaint-file"}
            ).status_code
            == 409
        )
        assert client.get(f"{base}/etapes/inconnue").status_code == 404
        # an answer that does not fit the request (erased, for an access request)
        client.post(
            f"{base}/etapes/envoi",
            data={"csrf_token": csrf, **date_form(TODAY), "channel": "email"},
        )
        bad = client.post(
            f"{base}/etapes/reponse",
            data={"csrf_token": csrf, **date_form(TODAY), "outcome": "erased"},
        )
        assert bad.status_code == 422
        assert "outcome" in error_messages(bad.text)
        client.post(f"{base}/etapes/cloture", data={"csrf_token": csrf, **date_form(TODAY)})
        assert client.get(f"{base}/etapes/reponse").status_code == 409
    proceeding = db.get(Proceeding, pid)
    assert proceeding is not None
    db.refresh(proceeding)
    assert proceeding.status == "closed"
    assert proceeding.closed_at is not None
    assert proceeding.next_reminder is None
    assert [e.kind for e in events_of(proceeding)] == ["generated", "sent", "closed"]


def test_the_dashboard_puts_overdue_requests_first(app: Any, db: Session, world: World) -> None:
    later = past_request(db, world, days_ago=5, platform="doctolib")
    overdue = past_request(db, world, days_ago=70, platform="livi")
    unsent = past_request(db, world, days_ago=1, platform="qare")
    for pid, sent in ((later, 5), (overdue, 70)):
        proceeding = db.get(Proceeding, pid)
        assert proceeding is not None
        record(
            db,
            proceeding,
            Event(kind="sent", date=TODAY - dt.timedelta(days=sent), channel="email"),
            TODAY,
        )
    db.commit()
    client, _csrf = signed(app, world, "patient")
    with client:
        page = text(client.get("/suivi"))
    order = [page.index(f"/suivi/{pid}") for pid in (overdue, later, unsent)]
    assert order == sorted(order)
    assert "En retard de" in page
    assert "jours restants" in page


def test_a_helper_follows_a_member_under_mandate_and_every_look_is_logged(
    app: Any, db: Session, world: World
) -> None:
    pid = world.ids["member_proceeding"]
    client, csrf = signed(app, world, "helper_with_mandate")
    with client:
        dashboard = text(client.get("/suivi"))
        assert f"/suivi/{pid}" in dashboard
        assert "pour Paulette Martin" in dashboard
        page = text(client.get(f"/suivi/{pid}"))
        assert "vous agissez avec un mandat" in page
        # the mandate has no "complaint" right: no complaint file offered
        client.post(
            f"/suivi/{pid}/etapes/envoi",
            data={"csrf_token": csrf, **date_form(TODAY), "channel": "email"},
        )
        assert "Porter plainte auprès de la CNIL" not in text(client.get(f"/suivi/{pid}"))
    actions = db.exec(
        select(AuditEntry.action).where(AuditEntry.file_id == world.ids["member_file"])
    ).all()
    assert "suivi.consulte" in actions
    assert "suivi.modifie" in actions
    # another helper's mandate for another platform does not open this one
    other = make_mandate(
        db, db.get(PatientFile, world.ids["member_file"]), world.users["helper_without"], ("livi",)
    )  # type: ignore[arg-type]
    db.commit()
    assert other.id
    client, _csrf = signed(app, world, "helper_without")
    with client:
        assert client.get(f"/suivi/{pid}").status_code == 403
        assert f"/suivi/{pid}" not in text(client.get("/suivi"))


def test_the_member_sees_the_helpers_tracking_in_the_access_log(
    app: Any, db: Session, world: World
) -> None:
    helper, _csrf = signed(app, world, "helper_with_mandate")
    with helper:
        helper.get(f"/suivi/{world.ids['member_proceeding']}")
    patient, _csrf = signed(app, world, "patient")
    with patient:
        assert "Suivi d'une demande consulté" in text(patient.get("/compte/journal"))


def test_follow_a_stored_letter_from_the_account(app: Any, db: Session, world: World) -> None:
    client, csrf = signed(app, world, "patient")
    with client:
        page = text(client.get("/compte/lettres"))
        assert f'action="/compte/lettres/{world.ids["own_letter"]}/suivre"' in page
        response = client.post(
            f"/compte/lettres/{world.ids['own_letter']}/suivre",
            data={"csrf_token": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert "Voir le suivi" in text(client.get("/compte/lettres"))


# ------------------------------------------------------------------ settings and calendar


def test_reminder_settings_and_the_private_calendar_feed(
    app: Any, db: Session, world: World
) -> None:
    from icalendar import Calendar

    pid = world.ids["member_proceeding"]
    proceeding = db.get(Proceeding, pid)
    assert proceeding is not None
    record(db, proceeding, Event(kind="sent", date=TODAY, channel="email"), TODAY)
    db.commit()
    client, csrf = signed(app, world, "patient")
    with client:
        page = client.post("/compte/calendrier", data={"csrf_token": csrf}).text
        match = re.search(r"<code>https?://[^/]+(/calendrier/[^<]+)</code>", page)
        assert match
        feed_path = match.group(1)
        assert "ne sera plus affichée" in page
        assert feed_path not in text(client.get("/compte/rappels"))  # shown once
    anonymous = CheckedClient(app)
    with anonymous:
        feed = anonymous.get(feed_path)
        assert feed.status_code == 200
        assert feed.headers["content-type"].startswith("text/calendar")
        calendar = Calendar.from_ical(feed.content)
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 1
        assert "Doctolib" not in feed.text  # privacy by default
        assert plain(str(events[0]["SUMMARY"])).startswith("Reprise : date limite")
    with client:
        client.post(
            "/compte/rappels",
            data={"csrf_token": csrf, "reminders": "oui", "locale": "fr", "feed_names": "oui"},
        )
    with anonymous:
        assert "Doctolib" in anonymous.get(feed_path).text
    with client:
        client.post("/compte/calendrier/supprimer", data={"csrf_token": csrf})
    with anonymous:
        assert anonymous.get(feed_path).status_code == 404


def test_api_tokens_are_shown_once_and_revoked(app: Any, db: Session, world: World) -> None:
    client, csrf = signed(app, world, "other_patient")
    with client:
        empty = client.post(
            "/compte/jetons", data={"csrf_token": csrf, "label": "", "password": PASSWORD}
        )
        assert empty.status_code == 422
        assert "label" in error_messages(empty.text)
        page = client.post(
            "/compte/jetons", data={"csrf_token": csrf, "label": "mon script", "password": PASSWORD}
        ).text
        secret = re.search(r"<code>(rpr_[^<]+)</code>", page)
        assert secret
        listing = text(client.get("/compte/jetons"))
        assert "mon script" in listing
        assert secret.group(1) not in listing
        api = CheckedClient(app)
        with api:
            headers = {"Authorization": f"Bearer {secret.group(1)}"}
            assert api.get("/api/v1/proceedings", headers=headers).status_code == 200
            token_id = re.search(r'action="/compte/jetons/([^/]+)/supprimer"', listing)
            assert token_id
            client.post(f"/compte/jetons/{token_id.group(1)}/supprimer", data={"csrf_token": csrf})
            assert api.get("/api/v1/proceedings", headers=headers).status_code == 401


# ------------------------------------------------------------------ export, deletion, purge


def test_export_holds_the_proceedings_their_events_and_letters(
    app: Any, db: Session, world: World
) -> None:
    pid = world.ids["member_proceeding"]
    proceeding = db.get(Proceeding, pid)
    assert proceeding is not None
    record(
        db, proceeding, Event(kind="sent", date=TODAY, channel="post", reference="1A 777"), TODAY
    )
    db.commit()
    client, csrf = signed(app, world, "patient")
    with client:
        response = client.post("/compte/mes-donnees", data={"csrf_token": csrf})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("donnees.json"))
    tracked = data["tracking"]["proceedings"]
    assert [p["id"] for p in tracked] == [str(pid)]
    assert tracked[0]["platform"] == "doctolib"
    assert tracked[0]["events"][1]["reference"] == "1A 777"
    assert tracked[0]["letters"][0]["kind"] == "erasure"
    assert data["tracking"]["api_tokens"][0]["label"] == "script"
    assert any(name.endswith(".pdf") for name in archive.namelist())


def test_deleting_the_account_removes_proceedings_tokens_and_preferences(
    db: Session, world: World
) -> None:
    from app.models.proceeding import ApiToken
    from app.privacy.personal_data import delete_account

    delete_account(db, world.users["patient"])
    db.flush()
    assert db.get(Proceeding, world.ids["member_proceeding"]) is None
    assert db.exec(select(ApiToken)).all() == []


def test_closed_proceedings_are_purged_after_the_retention_time(db: Session, world: World) -> None:
    from app.config import get_settings
    from app.models.base import utcnow
    from app.proceedings.privacy import purge_closed

    pid = world.ids["member_proceeding"]
    proceeding = db.get(Proceeding, pid)
    assert proceeding is not None
    record(db, proceeding, Event(kind="closed", date=TODAY), TODAY)
    db.flush()
    assert purge_closed(db, utcnow()) == 0
    later = utcnow() + dt.timedelta(days=get_settings().closed_proceeding_days + 1)
    assert purge_closed(db, later) == 1
    db.expire_all()
    assert db.get(Proceeding, pid) is None
    assert db.exec(select(StoredLetter).where(col(StoredLetter.proceeding_id) == pid)).all() == []
    assert db.get(StoredLetter, world.ids["member_letter"]) is None


def test_follow_every_first_request_of_a_pack(app: Any, db: Session, world: World) -> None:
    from app.letters.drafts import load_draft, save_draft
    from app.models.session import WebSession
    from app.security.crypto import token_hash
    from tests.support.pages import PACK

    client, csrf = signed(app, world, "other_patient")
    with client:
        session = db.exec(
            select(WebSession).where(
                WebSession.token_hash == token_hash(client.cookies[session_cookie_name()])
            )
        ).one()
        save_draft(
            db, session, {**load_draft(db, session), "selection": PACK, "identity": IDENTITY}
        )
        db.commit()
        assert "Suivre ces demandes" in text(client.get("/lettres/lot/apercu"))
        response = client.post("/suivi/lot", data={"csrf_token": csrf}, follow_redirects=False)
        assert response.headers["location"] == "/suivi?fait=lot"
        page = text(client.get("/suivi"))
        # the two catalogue platforms and the hospital outside the catalogue are followed
        assert "Doctolib" in page
        assert "23andMe" in page
        assert "Centre hospitalier d'Exempleville" in page
        assert page.count('class="platform-item"') == 3
        # following the pack again opens nothing twice (the hospital by its FINESS number)
        again = client.post("/suivi/lot", data={"csrf_token": csrf}, follow_redirects=False)
        assert again.status_code == 303
        assert text(client.get("/suivi")).count('class="platform-item"') == 3
