"""Packs made in the background: queued, running, done, failed, purged, and taken over after a
restart; in order of arrival; a progress page that refreshes itself and an API that answers 202."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import clock
from app.db import get_engine
from app.errors import Invalid
from app.letters import pack_jobs
from app.letters.pack_jobs import LEASE, claim_pack, run_pack, run_pending_packs
from app.migrate import upgrade
from app.models.job import PackJob
from app.privacy.purges import _purge_drafts
from tests.conftest import clear_caches, drop_postgres_database, fresh_database_url
from tests.support.pagecheck import CheckedClient
from tests.support.pages import IDENTITY_FORM, PACK, seed_selection

ITEMS = [
    {"platform": "doctolib", "kind": "access"},
    {"platform": "doctolib", "kind": "erasure"},
    {"platform": "23andme", "kind": "erasure"},
    {"platform": "withings", "kind": "access"},
]


@pytest.fixture
def engine(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The service on a database of its own, as a deployment runs it (the runner commits)."""
    url = fresh_database_url(backend, tmp_path, "packs")
    upgrade("head", url)
    monkeypatch.setenv("REPRISE_DATABASE_URL", url)
    clear_caches()
    yield get_engine()
    get_engine().dispose()
    monkeypatch.undo()
    clear_caches()
    if backend == "postgresql":
        drop_postgres_database(url.rsplit("/", 1)[1])


@pytest.fixture
def client(engine: Engine) -> Iterator[CheckedClient]:
    from app.main import create_app

    with CheckedClient(create_app()) as test_client:
        yield test_client


def post_pack(client: CheckedClient, identity: dict[str, Any], **extra: Any) -> Any:
    return client.post("/api/v1/letters/pack", json={"identity": identity, "items": ITEMS, **extra})


def test_an_api_pack_goes_from_queued_to_running_to_done(
    client: CheckedClient, engine: Engine, identity_data: dict[str, Any]
) -> None:
    response = post_pack(client, identity_data)
    assert response.status_code == 202
    location = response.headers["location"]
    assert re.fullmatch(r"/api/v1/jobs/[0-9a-f-]{36}", location)
    assert client.get(location).json() | {"id": None} == {
        "id": None,
        "state": "queued",
        "done": 0,
        "total": 4,
        "file": None,
        "error": None,
    }
    assert client.get(f"{location}/file").status_code == 404
    claimed = claim_pack(engine, clock.now())
    assert claimed is not None
    assert client.get(location).json()["state"] == "running"
    assert run_pack(engine, *claimed)
    status = client.get(location).json()
    assert (status["state"], status["done"], status["total"]) == ("done", 4, 4)
    assert status["file"] == f"{location}/file"
    pdf = client.get(status["file"])
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_a_zip_pack_in_the_background(
    client: CheckedClient, engine: Engine, identity_data: dict[str, Any]
) -> None:
    location = post_pack(client, identity_data, format="zip").headers["location"]
    assert run_pending_packs(engine) == 1
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{location}/file").content))
    assert len(archive.namelist()) == 5  # the checklist and four letters


def test_a_few_letters_still_come_at_once(
    client: CheckedClient, identity_data: dict[str, Any]
) -> None:
    response = client.post(
        "/api/v1/letters/pack", json={"identity": identity_data, "items": ITEMS[:3]}
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_a_pack_that_cannot_be_made_is_failed_and_says_why(
    client: CheckedClient,
    engine: Engine,
    identity_data: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def too_slow(html: str) -> bytes:
        raise Invalid({"render": "trop long"})

    monkeypatch.setattr(pack_jobs, "background_pdf", too_slow)
    location = post_pack(client, identity_data).headers["location"]
    run_pending_packs(engine)
    status = client.get(location).json()
    assert (status["state"], status["error"], status["file"]) == ("failed", "too-slow", None)
    assert run_pending_packs(engine) == 0  # a failed pack is not run again


def test_packs_run_in_order_of_arrival(
    client: CheckedClient, engine: Engine, identity_data: dict[str, Any]
) -> None:
    first = post_pack(client, identity_data).headers["location"].rsplit("/", 1)[1]
    second = post_pack(client, identity_data).headers["location"].rsplit("/", 1)[1]
    claimed = [claim_pack(engine, clock.now()), claim_pack(engine, clock.now())]
    assert [str(job[0]) for job in claimed if job] == [first, second]
    assert claim_pack(engine, clock.now()) is None


def test_a_pack_left_by_a_stopped_runner_is_made_after_its_lease(
    client: CheckedClient, engine: Engine, identity_data: dict[str, Any]
) -> None:
    location = post_pack(client, identity_data).headers["location"]
    stalled = claim_pack(engine, clock.now())  # this runner's process stops here
    assert stalled is not None
    assert run_pending_packs(engine) == 0  # still leased
    with clock.running_from(clock.now() + LEASE + timedelta(seconds=1)):
        assert run_pending_packs(engine) == 1  # another runner (after a restart) takes it
        assert client.get(location).json()["state"] == "done"
        assert not run_pack(engine, *stalled)  # the first runner, back, cannot write over it
    assert client.get(location).json()["state"] == "done"


def test_packs_are_purged_with_the_drafts(
    client: CheckedClient, engine: Engine, identity_data: dict[str, Any]
) -> None:
    location = post_pack(client, identity_data).headers["location"]
    run_pending_packs(engine)
    later = clock.now() + timedelta(hours=25)
    with Session(engine) as db:
        _purge_drafts(db, "all", later)
        db.commit()
        assert db.get(PackJob, uuid.UUID(location.rsplit("/", 1)[1])) is None
    assert client.get(location).status_code == 404


def test_the_page_shows_progress_then_the_download(client: CheckedClient, engine: Engine) -> None:
    with Session(engine) as db:
        token = seed_selection(client, db, [*PACK, {"platform": "withings", "kind": "access"}])
        db.commit()
    client.post("/lettres/lot/identite", data={**IDENTITY_FORM, "csrf_token": token})
    preview = client.get("/lettres/lot/apercu")
    assert 'href="/lettres/lot.pdf">' in preview.text  # no `download`: a page comes first
    started = client.get("/lettres/lot.pdf", follow_redirects=False)
    assert started.status_code == 303
    page = client.get(started.headers["location"])
    assert re.search(r"0 lettres? prêtes? sur 4\.", page.text)
    assert '<progress id="pack-progress" max="4" value="0"' in page.text
    assert '<meta http-equiv="refresh" content="3">' in page.text  # without JavaScript
    assert run_pending_packs(engine) == 1
    page = client.get(started.headers["location"])
    assert "4 lettres sont prêtes." in page.text
    assert "http-equiv" not in page.text
    link = re.search(r'href="(/lettres/lot/travail/[^"]+/fichier)"', page.text)
    assert link is not None
    assert client.get(link.group(1)).content.startswith(b"%PDF-")
    # another browser does not see it
    with CheckedClient(client.app) as stranger:
        assert stranger.get(started.headers["location"]).status_code == 404
        assert stranger.get(link.group(1)).status_code == 404
