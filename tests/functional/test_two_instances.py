"""Two `reprise serve` instances on one PostgreSQL database: a session opened on one is valid
on the other, sign-in throttling counts across both, a pack queued on one is made by either,
and a due reminder goes once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from app.clock import PARIS
from app.db import make_engine
from app.migrate import upgrade
from app.notifications.mailer import use_mailer
from tests.conftest import csrf_from, drop_postgres_database, fresh_database_url
from tests.support.paths import PROJECT_ROOT
from tests.support.servers import Inbox, free_port, run_server
from tests.support.tracking import tracked
from tests.support.world import PASSWORD, make_user

NOW = dt.datetime(2026, 3, 9, 9, 0, tzinfo=PARIS)  # a reminder is due: 9:00, past 8:00
IDENTITY = {
    "given_name": "Marie",
    "family_name": "Dupont",
    "postal_address": {
        "lines": ["12 rue des Lilas"],
        "postal_code": "75011",
        "city": "Paris",
        "country": "FR",
    },
}

pytestmark = pytest.mark.skipif(
    not os.environ.get("REPRISE_TEST_DATABASE_URL"), reason="needs PostgreSQL"
)


@pytest.fixture
def instances(tmp_path: Path) -> Iterator[tuple[list[httpx.Client], Inbox, str]]:
    url = fresh_database_url("postgresql", tmp_path, "two")
    upgrade("head", url)
    engine = make_engine(url)
    with Session(engine) as db:
        make_user(db, "claire@example.org")
        db.commit()
    use_mailer(None)
    tracked(engine, "marie@example.org", letter_on=dt.date(2026, 3, 6), sent=None)
    engine.dispose()
    inbox = Inbox()
    server = run_server(inbox)
    ports = [free_port(), free_port()]
    environment = {
        **os.environ,
        "REPRISE_DATABASE_URL": url,
        "REPRISE_VAR_DIR": str(tmp_path),
        "REPRISE_JOBS_INTERVAL_SECONDS": "1",
        "REPRISE_SMTP_URL": f"smtp://localhost:{server.port}",
        "REPRISE_BASE_URL": "http://127.0.0.1:8000",
    }
    logs = [(tmp_path / f"serve-{port}.log").open("w") for port in ports]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.serve_at", NOW.isoformat(), str(port)],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) for port in ports]
    try:
        for client in clients:
            for _attempt in range(600):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                raise AssertionError("an instance did not start")
        yield clients, inbox, url
    finally:
        for client in clients:
            client.close()
        for process in processes:
            process.terminate()
            process.wait(30)
        for log in logs:
            log.close()
        server.stop()
        drop_postgres_database(url.rsplit("/", 1)[1])


def sign_in(client: httpx.Client, password: str) -> httpx.Response:
    token = csrf_from(client.get("/connexion").text)
    return client.post(
        "/connexion",
        data={"email": "claire@example.org", "password": password, "csrf_token": token},
    )


def test_two_instances_share_sessions_throttling_packs_and_reminders(
    instances: tuple[list[httpx.Client], Inbox, str], identity_data: dict[str, Any]
) -> None:
    (first, second), inbox, _url = instances

    # a session opened on one instance is valid on the other
    assert sign_in(first, PASSWORD).status_code == 303
    second.cookies = first.cookies
    assert second.get("/compte").status_code == 200
    first.cookies.clear()
    second.cookies.clear()

    # five wrong passwords, spread over both instances, lock the account on both
    for attempt in range(5):
        assert sign_in((first, second)[attempt % 2], "wrong password").status_code == 422
    assert sign_in(second, PASSWORD).status_code == 429
    assert sign_in(first, PASSWORD).status_code == 429

    # a pack queued on one instance is made (by either) and served by the other
    items = [{"platform": "doctolib", "kind": kind} for kind in ("access", "erasure")] * 2
    queued = first.post("/api/v1/letters/pack", json={"identity": IDENTITY, "items": items})
    assert queued.status_code == 202
    location = queued.headers["location"]
    for _attempt in range(1200):
        state = second.get(location).json()["state"]
        if state not in {"queued", "running"}:
            break
        time.sleep(0.1)
    assert state == "done"
    assert second.get(f"{location}/file").content.startswith(b"%PDF-")

    # the due reminder went once, though both instances run the jobs every second
    for _attempt in range(300):
        if inbox.received:
            break
        time.sleep(0.1)
    time.sleep(3)  # several more rounds on each instance
    assert [str(message["To"]) for message in inbox.received] == ["marie@example.org"]
