"""One use case, three front ends: the dashboard (/suivi), the API (GET /api/v1/proceedings) and
`reprise proceedings list` show a helper the same proceedings in the same order, and each of
them writes the helper's look in the member's access log."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from app import clock
from app.cookies import session_cookie_name
from app.db import make_engine
from app.migrate import upgrade
from app.models.organisation import AuditEntry, PatientFile
from app.proceedings.events import Event
from app.proceedings.service import record, track_new_letter
from tests.conftest import drop_postgres_database, fresh_database_url
from tests.support import commands
from tests.support.apps import app_on
from tests.support.pagecheck import CheckedClient
from tests.support.world import IDENTITY, World, api_token, build_world

HELPER = "helper_with_mandate"
HELPER_EMAIL = "helper.with.mandate@example.org"
ROW_LINK = re.compile(r'href="/suivi/([0-9a-f-]{36})"')


@pytest.fixture
def engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A database of its own: the command runs in another process and must see the data."""
    url = fresh_database_url(backend, tmp_path, "front")
    upgrade("head", url)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    if backend == "postgresql":
        drop_postgres_database(engine.url.database or "")


@pytest.fixture
def site(engine: Engine) -> Any:
    return app_on(engine)


def _later(minutes: int) -> None:
    clock.set_now(clock.now() + dt.timedelta(minutes=minutes))


def _helpers_world(db: Session) -> tuple[World, list[uuid.UUID]]:
    """The helper follows two requests of a member (under the mandate) and has two of their
    own; three of them fall due the same day. Returns the order the helper must see."""
    world = build_world(db)
    day = clock.today()
    member = db.get(PatientFile, world.ids["member_file"])
    assert member is not None
    helper = world.users[HELPER]
    _later(1)
    own = PatientFile(user_id=helper.id)
    db.add(own)
    db.flush()
    unsent, _created = track_new_letter(db, own, "erasure", "livi", IDENTITY, None, helper.id, day)
    _later(1)
    member_access, _created = track_new_letter(
        db, member, "access", "doctolib", IDENTITY, None, helper.id, day
    )
    _later(1)
    own_access, _created = track_new_letter(
        db, own, "access", "doctolib", IDENTITY, None, helper.id, day
    )
    member_erasure = world.ids["member_proceeding"]
    for proceeding in (member_access, own_access):
        record(db, proceeding, Event(kind="sent", date=day, channel="email"), day)
    from app.models.proceeding import Proceeding

    first = db.get(Proceeding, member_erasure)
    assert first is not None
    record(db, first, Event(kind="sent", date=day, channel="email"), day)
    db.commit()
    # Same due date: by creation (the member's two first); no due date (not sent): last.
    return world, [member_erasure, member_access.id, own_access.id, unsent.id]


def _looks(db: Session, world: World) -> int:
    """How many looks at the tracking the member's access log holds."""
    db.expire_all()
    query = select(func.count()).where(
        col(AuditEntry.file_id) == world.ids["member_file"],
        col(AuditEntry.action) == "suivi.consulte",
    )
    return int(db.exec(query).one())


def _in_order(ids: list[str]) -> list[uuid.UUID]:
    seen: list[uuid.UUID] = []
    for text in ids:
        found = uuid.UUID(text)
        if found not in seen:
            seen.append(found)
    return seen


def test_the_site_the_api_and_the_command_list_the_same_proceedings_in_the_same_order(
    engine: Engine, site: Any
) -> None:
    with Session(engine, expire_on_commit=False) as db:
        world, expected = _helpers_world(db)
        tokens = world.sign_in(HELPER)
        assert tokens
        headers = {"Authorization": f"Bearer {api_token(db, world.users[HELPER])}"}
        db.commit()
        assert _looks(db, world) == 0

        with CheckedClient(site) as client:
            client.cookies.set(session_cookie_name(), tokens[0])
            page = client.get("/suivi")
        assert page.status_code == 200
        assert _in_order(ROW_LINK.findall(page.text)) == expected
        assert _looks(db, world) == 1

        with CheckedClient(site) as client:
            listed = client.get("/api/v1/proceedings", headers=headers)
        assert listed.status_code == 200
        assert [uuid.UUID(row["id"]) for row in listed.json()] == expected
        assert _looks(db, world) == 2

        url = engine.url.render_as_string(hide_password=False)
        done: subprocess.CompletedProcess[str] = commands.reprise(
            "proceedings", "list", "--email", HELPER_EMAIL, "--json", database_url=url
        )
        assert done.returncode == 0, done.stderr
        assert [uuid.UUID(row["id"]) for row in json.loads(done.stdout)] == expected
        assert _looks(db, world) == 3
