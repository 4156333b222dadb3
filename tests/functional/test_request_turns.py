"""A request's database session, end to end through FastAPI: it opens once the request has its
turn (app.admission), a page route ends it in its own worker thread (app.routing), and a request
waiting on something slow gives its turn to the next."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from sqlalchemy import event, text
from sqlmodel import Session, create_engine

from app import admission
from app.admission import step_aside
from app.db import SessionDep, session_opener
from app.routing import Router


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.setattr(admission, "slot_count", lambda: 1)
    engine = create_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (body TEXT)"))
    seen: dict[str, Any] = {"commits": [], "events": []}

    @contextmanager
    def opener() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            event.listen(
                session,
                "after_commit",
                lambda _session: seen["commits"].append(threading.get_ident()),
            )
            yield session  # committed on success, rolled back on failure

    router = Router()

    @router.post("/page")
    def page(db: SessionDep) -> PlainTextResponse:
        db.execute(text("INSERT INTO note VALUES ('page')"))
        seen["route_thread"] = threading.get_ident()
        return PlainTextResponse("ok")

    @router.post("/json", response_model=dict[str, int])
    def json_answer(db: SessionDep, bad: bool = False) -> Any:
        db.execute(text("INSERT INTO note VALUES ('json')"))
        return {"count": "many" if bad else 1}

    @router.post("/fails")
    def fails(db: SessionDep) -> PlainTextResponse:
        db.execute(text("INSERT INTO note VALUES ('lost')"))
        raise RuntimeError("the route fails after writing")

    @router.post("/slow/{name}")
    def slow(name: str, db: SessionDep, aside: bool = False) -> PlainTextResponse:
        db.execute(text("SELECT 1"))
        seen["events"].append(f"{name} in")
        if aside:
            step_aside()
        seen[f"{name} go"].wait(5)
        seen["events"].append(f"{name} out")
        return PlainTextResponse(name)

    @router.get("/read")
    def read(db: SessionDep) -> PlainTextResponse:
        db.execute(text("SELECT 1"))
        seen["events"].append("read")
        return PlainTextResponse("read")

    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[session_opener] = lambda: opener
    seen["app"] = app
    seen["notes"] = lambda: [
        row[0] for row in engine.connect().execute(text("SELECT body FROM note")).all()
    ]
    yield seen
    engine.dispose()


async def _send(
    app: FastAPI, path: str, method: str = "POST", headers: dict[str, str] | None = None
) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.request(method, path, headers=headers)


@pytest.fixture
def hand_offs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The session's own trips to a worker thread (app.db)."""
    from app import db

    made: list[str] = []
    real = db.run_in_threadpool

    async def counted(function: Any, *args: Any) -> Any:
        made.append(getattr(function, "__qualname__", "?"))
        return await real(function, *args)

    monkeypatch.setattr(db, "run_in_threadpool", counted)
    return made


def test_a_page_route_commits_in_the_thread_it_ran_in(
    service: dict[str, Any], hand_offs: list[str]
) -> None:
    answer = anyio.run(_send, service["app"], "/page")
    assert answer.status_code == 200
    assert service["commits"] == [service["route_thread"]]
    assert hand_offs == []  # no second trip to a thread to commit
    assert service["notes"]() == ["page"]


def test_a_route_answering_data_commits_once_its_answer_is_made(
    service: dict[str, Any], hand_offs: list[str]
) -> None:
    answer = anyio.run(_send, service["app"], "/json")
    assert answer.json() == {"count": 1}
    assert len(service["commits"]) == 1
    assert len(hand_offs) == 1
    assert service["notes"]() == ["json"]
    # An answer that cannot be made (a bug) still rolls back what the route wrote.
    failed = anyio.run(_send, service["app"], "/json?bad=true")
    assert failed.status_code == 500
    assert service["notes"]() == ["json"]


def test_a_route_that_fails_keeps_nothing_it_wrote(service: dict[str, Any]) -> None:
    answer = anyio.run(_send, service["app"], "/fails")
    assert answer.status_code == 500
    assert service["commits"] == []
    assert service["notes"]() == []


def _two_requests(service: dict[str, Any], first: str) -> list[str]:
    """`first` holds the only turn and waits; a second request comes; the first is let go only
    once the second is in, or after 5 s."""
    service["a go"] = threading.Event()
    service["b go"] = threading.Event()
    service["b go"].set()

    async def scenario() -> list[int]:
        async with anyio.create_task_group() as tasks:
            answers: list[int] = []

            async def post(path: str) -> None:
                answers.append((await _send(service["app"], path)).status_code)

            tasks.start_soon(post, first)
            while "a in" not in service["events"]:
                await anyio.sleep(0.01)
            tasks.start_soon(post, "/slow/b")
            for _ in range(50):  # up to 0.5 s for the second to get in
                if "b out" in service["events"]:
                    break
                await anyio.sleep(0.01)
            service["a go"].set()
        return answers

    assert anyio.run(scenario) == [200, 200]
    return list(service["events"])


def test_a_request_waits_for_the_one_holding_the_only_turn(service: dict[str, Any]) -> None:
    assert _two_requests(service, "/slow/a") == ["a in", "a out", "b in", "b out"]


def test_a_request_waiting_on_slow_work_lets_the_next_one_in(service: dict[str, Any]) -> None:
    assert _two_requests(service, "/slow/a?aside=true") == ["a in", "b in", "b out", "a out"]


@pytest.mark.parametrize(
    ("headers", "waits"),
    [
        ({}, False),  # a visitor reading a page, no cookie: no turn needed
        ({"Cookie": "reprise_session=abc"}, True),  # a signed-in person's page
        ({"Authorization": "Bearer abc"}, True),  # the API with a personal token
    ],
)
def test_only_requests_with_a_credential_or_a_change_wait_for_their_turn(
    service: dict[str, Any], headers: dict[str, str], waits: bool
) -> None:
    service["a go"] = threading.Event()

    async def scenario() -> None:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_send, service["app"], "/slow/a")
            while "a in" not in service["events"]:
                await anyio.sleep(0.01)
            tasks.start_soon(_send, service["app"], "/read", "GET", headers)
            for _ in range(50):  # up to 0.5 s for the read
                if "read" in service["events"]:
                    break
                await anyio.sleep(0.01)
            service["a go"].set()

    anyio.run(scenario)
    expected = ["a in", "a out", "read"] if waits else ["a in", "read", "a out"]
    assert service["events"] == expected
