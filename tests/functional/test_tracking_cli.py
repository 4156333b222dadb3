"""Tracking from the command line, as an association scripts it: list a person's requests,
record an event (exit 2 naming the field when refused), and `reprise jobs run` sending the
reminders that are due."""

from __future__ import annotations

import datetime as dt
import email
import json

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.clock import today
from app.config import get_settings
from app.models.organisation import PatientFile
from app.models.proceeding import Proceeding
from app.patients.files import store_letter
from app.proceedings.service import track_letter, view_of
from tests.support.commands import reprise_on as reprise
from tests.support.world import IDENTITY, build_world


def test_list_and_record_from_the_command_line(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        world = build_world(db)
        db.commit()
    pid = str(world.ids["member_proceeding"])
    listed = reprise(engine, "proceedings", "list", "--email", "patient@example.org", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [row["id"] for row in rows] == [pid]
    assert rows[0]["next_step"] == "send"
    day = today().isoformat()
    refused = reprise(engine, "proceedings", "record", pid, "--kind", "received", "--date", day)
    assert refused.returncode == 2
    assert refused.stderr.startswith("kind: ")
    sent = reprise(
        engine, "proceedings", "record", pid, "--kind", "sent", "--date", day, "--channel", "email"
    )
    assert sent.returncode == 0, sent.stderr
    data = json.loads(sent.stdout)
    assert data["status"] == "waiting"
    assert data["receipt_estimated"] is True
    assert data["due"] is not None
    text = reprise(engine, "proceedings", "list", "--email", "helper.with.mandate@example.org")
    assert data["due"] in text.stdout
    assert "wait" in text.stdout


def test_jobs_run_sends_the_reminders_that_are_due(engine: Engine) -> None:
    day = today()
    with Session(engine, expire_on_commit=False) as db:
        world = build_world(db)
        file = db.get(PatientFile, world.ids["own_file"])
        assert file is not None
        letter = store_letter(
            db, file, "access", "doctolib", IDENTITY, None, None, day - dt.timedelta(days=4)
        )
        proceeding, _created = track_letter(db, file, letter, None, day)
        # the runner was stopped yesterday, when the "not sent" reminder was due
        proceeding.next_reminder, proceeding.next_reminder_on = "unsent", day - dt.timedelta(days=1)
        db.add(proceeding)
        db.commit()
        pid = proceeding.id
    outbox = get_settings().var_dir / "outbox"
    before = set(outbox.glob("*.eml")) if outbox.exists() else set()
    result = reprise(engine, "jobs", "run")
    assert result.returncode == 0, result.stderr
    assert "proceeding-reminder\t1" in result.stdout
    new = set(outbox.glob("*.eml")) - before
    assert len(new) == 1
    message = email.message_from_bytes(next(iter(new)).read_bytes())
    assert message["To"] == "patient@example.org"
    assert f"/suivi/{pid}" in message.get_payload(decode=True).decode()
    again = reprise(engine, "jobs", "run")
    assert "proceeding-reminder" not in again.stdout
    with Session(engine) as db:
        stored = db.get(Proceeding, pid)
        assert stored is not None
        assert stored.next_reminder is None


def test_a_request_to_an_organisation_from_the_command_line(engine: Engine) -> None:
    """Listed by the organisation's name; the commission and the CADA's last day recorded and
    shown like the rest."""
    from app.deadlines.calendar import add_months
    from app.letters.addressees import Addressee

    with Session(engine, expire_on_commit=False) as db:
        world = build_world(db)
        file = db.get(PatientFile, world.ids["own_file"])
        assert file is not None
        hospital = Addressee.of_organisation(
            {
                "name": "Hôpital d'Exemple de Strasbourg",
                "address_lines": ["1 place de l'Exemple", "67091 Strasbourg Cedex"],
                "finess": "670000000",
                "category": "hospital",
                "public": True,
            }
        )
        letter = store_letter(db, file, "medical-record", hospital, IDENTITY, None, None)
        proceeding, _created = track_letter(db, file, letter, None, today())
        db.commit()
    pid = str(proceeding.id)
    day = today().isoformat()
    for kind, extra in (("sent", ("--channel", "email")), ("received", ()), ("commission", ())):
        done = reprise(engine, "proceedings", "record", pid, "--kind", kind, "--date", day, *extra)
        assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["platform"] is None
    assert data["recipient_name"] == "Hôpital d'Exemple de Strasbourg"
    assert data["organisation"]["finess"] == "670000000"
    assert data["due"] >= add_months(today(), 2).isoformat()
    assert data["cada_due"] == add_months(add_months(today(), 1), 2).isoformat()
    listed = reprise(engine, "proceedings", "list", "--email", "patient@example.org")
    assert "Hôpital d'Exemple de Strasbourg  medical-record" in listed.stdout


def test_an_incomplete_answer_and_what_it_lacked_from_the_command_line(engine: Engine) -> None:
    day = today()
    with Session(engine, expire_on_commit=False) as db:
        world = build_world(db)
        file = db.get(PatientFile, world.ids["own_file"])
        assert file is not None
        letter = store_letter(
            db, file, "access", "doctolib", IDENTITY, None, None, day - dt.timedelta(days=20)
        )
        proceeding, _created = track_letter(db, file, letter, None, day)
        db.commit()
        pid = str(proceeding.id)
    sent_on = (day - dt.timedelta(days=19)).isoformat()
    sent = reprise(
        engine, "proceedings", "record", pid, "--kind", "sent", "--date", sent_on,
        "--channel", "email",
    )  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    wrong = reprise(
        engine, "proceedings", "record", pid, "--kind", "answer", "--date", day.isoformat(),
        "--outcome", "incomplete", "--missing", "copy,nonsense",
    )  # fmt: skip
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("missing.")
    answered = reprise(
        engine, "proceedings", "record", pid, "--kind", "answer", "--date", day.isoformat(),
        "--outcome", "incomplete", "--missing", "copy,retention",
    )  # fmt: skip
    assert answered.returncode == 0, answered.stderr
    data = json.loads(answered.stdout)
    assert (data["status"], data["next_step"]) == ("incomplete", "write-incomplete")
    with Session(engine) as db:
        stored = db.get(Proceeding, proceeding.id)
        assert stored is not None
        answer = view_of(stored, day).facts.incomplete_answer
        assert answer is not None
        assert answer.missing == ("copy", "retention")
