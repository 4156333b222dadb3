"""Starting a proceeding and writing a follow-up letter from the command line (issue 11 item 2):
`reprise proceedings start` and `reprise proceedings follow-up` call the same use cases as the
API and the site, and give the same result (the same proceeding, the same letter, the same line
in a member's access log)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from app import clock
from app.cookies import session_cookie_name
from app.models.organisation import AuditEntry, PatientFile, StoredLetter
from app.models.proceeding import Proceeding
from app.organisations.audit import AuditAction
from app.patients.files import letter_content
from app.proceedings.events import Event
from app.proceedings.service import record, track_new_letter
from tests.support.apps import app_on
from tests.support.commands import reprise_on as reprise
from tests.support.pagecheck import CheckedClient
from tests.support.world import IDENTITY, api_token, build_world

HELPER_EMAIL = "helper.with.mandate@example.org"


@pytest.fixture
def site(engine: Engine) -> Any:
    """The application on the test's own database (the command, another process, sees it)."""
    return app_on(engine)


def _started(db: Session, file_id: uuid.UUID) -> int:
    query = select(func.count()).where(
        col(AuditEntry.file_id) == file_id, col(AuditEntry.action) == AuditAction.TRACKING_STARTED
    )
    return int(db.exec(query).one())


def test_the_api_and_the_command_start_the_same_proceeding_for_a_member(
    engine: Engine, site: Any
) -> None:
    with Session(engine, expire_on_commit=False) as db:
        world = build_world(db)
        member_file = world.ids["member_file"]
        helper = world.users["helper_with_mandate"]
        headers = {"Authorization": f"Bearer {api_token(db, helper)}"}
        db.commit()
    with CheckedClient(site) as client:
        answer = client.post(
            "/api/v1/proceedings",
            headers=headers,
            json={"kind": "access", "platform": "doctolib", "file_id": str(member_file)},
        )
    assert answer.status_code == 201, answer.text
    by_api = answer.json()

    started = reprise(
        engine, "proceedings", "start", "--email", HELPER_EMAIL, "--kind", "access",
        "--platform", "doctolib", "--file", str(member_file),
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    by_command = json.loads(started.stdout)
    # The same request: the command finds the proceeding the API opened, and says so.
    assert by_command["id"] == by_api["id"]
    assert "already open" in started.stderr
    for field in ("platform", "right", "status", "due", "receipt"):
        assert by_command[field] == by_api[field], field
    assert by_command["next_step"] == by_api["next_step"]["code"]
    with Session(engine) as db:
        assert _started(db, member_file) == 2  # the helper's act, once per front end

    # The same rules: the mandate does not cover an objection, whichever way it is asked.
    refused = reprise(
        engine, "proceedings", "start", "--email", HELPER_EMAIL, "--kind", "objection",
        "--platform", "doctolib", "--file", str(member_file),
    )  # fmt: skip
    assert refused.returncode == 2
    assert "mandat" in refused.stderr
    with CheckedClient(site) as client:
        answer = client.post(
            "/api/v1/proceedings",
            headers=headers,
            json={"kind": "objection", "platform": "doctolib", "file_id": str(member_file)},
        )
    assert answer.status_code == 403


def test_the_command_refuses_bad_input_naming_the_field(engine: Engine, tmp_path: Path) -> None:
    with Session(engine, expire_on_commit=False) as db:
        build_world(db)
        db.commit()
    unknown = reprise(
        engine, "proceedings", "start", "--email", "patient@example.org", "--kind", "access",
        "--platform", "no-such-platform",
    )  # fmt: skip
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("platform: ")
    organisation = tmp_path / "organisation.json"
    organisation.write_text(json.dumps({"name": "", "address_lines": []}), encoding="utf-8")
    bad = reprise(
        engine, "proceedings", "start", "--email", "patient@example.org", "--kind", "access",
        "--organisation", str(organisation),
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.startswith("organisation.")
    nobody = reprise(
        engine, "proceedings", "follow-up", str(uuid.uuid4()), "--email", "patient@example.org",
        "--kind", "reminder",
    )  # fmt: skip
    assert nobody.returncode == 2


def test_the_site_the_api_and_the_command_write_the_same_reminder(
    engine: Engine, site: Any, tmp_path: Path
) -> None:
    day = clock.today()
    with Session(engine, expire_on_commit=False) as db:
        world = build_world(db)
        own = db.get(PatientFile, world.ids["own_file"])
        assert own is not None
        patient = world.users["patient"]
        ids = []
        for kind in ("access", "erasure", "objection"):
            proceeding, _created = track_new_letter(
                db, own, kind, "doctolib", IDENTITY, None, patient.id, day
            )
            record(db, proceeding, Event(kind="sent", date=day, channel="email"), day)
            ids.append(proceeding.id)
        headers = {"Authorization": f"Bearer {api_token(db, patient)}"}
        db.commit()
    # Two months later, nothing has come: a reminder is the next step of all three.
    clock.set_now(clock.now() + dt.timedelta(days=62))
    with Session(engine, expire_on_commit=False) as db:
        world.db = db  # a session started now, on the later day
        tokens = world.sign_in("patient")
        db.commit()
    assert tokens is not None
    with CheckedClient(site) as client:
        client.cookies.set(session_cookie_name(), tokens[0])
        answer = client.post(
            f"/suivi/{ids[0]}/lettres", data={"kind": "reminder", "csrf_token": tokens[1]}
        )
        assert answer.status_code == 200
        assert "fait=lettre" in str(answer.url)  # back on the proceeding's page, letter kept
        answer = client.post(
            f"/api/v1/proceedings/{ids[1]}/letters", headers=headers, json={"kind": "reminder"}
        )
        assert answer.status_code == 201, answer.text
    pdf = tmp_path / "rappel.pdf"
    written = reprise(
        engine, "proceedings", "follow-up", str(ids[2]), "--email", "patient@example.org",
        "--kind", "reminder", "--pdf", str(pdf),
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    printed = json.loads(written.stdout)
    assert printed["kind"] == "reminder"
    assert pdf.read_bytes().startswith(b"%PDF")

    with Session(engine) as db:
        states = []
        for proceeding_id in ids:
            letters = db.exec(
                select(StoredLetter).where(col(StoredLetter.proceeding_id) == proceeding_id)
            ).all()
            kinds = sorted(str(letter_content(letter).get("kind")) for letter in letters)
            assert "reminder" in kinds, proceeding_id
            proceeding = db.get(Proceeding, proceeding_id)
            assert proceeding is not None
            from app.proceedings.views import view_of

            view = view_of(proceeding, clock.today())
            states.append((view.facts.state, view.step.code, len(view.facts.events)))
        # The same letter, the same place in the lifecycle, the same next step (send it).
        assert states[0] == states[1] == states[2], states
        cli_letter = db.get(StoredLetter, uuid.UUID(printed["id"]))
        assert cli_letter is not None
        assert cli_letter.proceeding_id == ids[2]
