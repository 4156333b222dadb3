"""Bounded rendering (security.md item 14) and the worker's locked-down fetcher (item 13)."""

import io
import os
from collections.abc import Iterator
from typing import Any

import pikepdf
import pytest

from app.letters.render_worker import NICENESS
from app.letters.workers import RenderPool, RenderTimeout
from tests.support.pagecheck import CheckedClient
from tests.support.render import GOOD_HTML, Listener, hostile_documents, setting
from tests.support.serving import all_idle, wait_until

SLOW_HTML = (
    "<!doctype html><html lang='fr'><body>"
    + "".join(
        f"<table><tr><td>{index} mot</td><td>cellule</td></tr></table>" for index in range(6000)
    )
    + "</body></html>"
)


def test_a_render_past_the_limit_is_stopped_and_the_pool_recovers(pool: RenderPool) -> None:
    assert pool.render(GOOD_HTML, 30).startswith(b"%PDF-")
    (pid,) = pool.worker_pids()
    with pytest.raises(RenderTimeout):
        pool.render(SLOW_HTML, 0.5)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the worker that was rendering is gone
    assert pool.render(GOOD_HTML, 30).startswith(b"%PDF-")  # a fresh worker took its place
    assert pool.worker_pids() != [pid]


def test_a_render_worker_yields_the_cores_to_the_web_workers(pool: RenderPool) -> None:
    """Renders run at a lower priority than the process that asked for them, so pages and
    /healthz stay quick while packs are made."""
    assert pool.render(GOOD_HTML, 30).startswith(b"%PDF-")
    (pid,) = pool.worker_pids()
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, mine + NICENESS) > mine


def test_hostile_documents_fetch_nothing_in_a_worker(pool: RenderPool, tmp_path: Any) -> None:
    listener = Listener()
    try:
        secret = tmp_path / "secret.txt"
        secret.write_text("TOP-SECRET-CANARY")
        documents = [
            f"<!doctype html><html lang='fr'><body><p>Texte</p>{snippet}</body></html>"
            for snippet in hostile_documents(listener.port, secret)
        ]
        for data in pool.render_many(documents, 30):
            assert b"TOP-SECRET-CANARY" not in data
            assert not pikepdf.open(io.BytesIO(data)).attachments
        assert listener.connections == 0
    finally:
        listener.close()


@pytest.fixture
def tiny_render_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A limit no render meets, once every worker of the pool is idle: the render starts, then
    runs past it (while a worker that an earlier render overran is being replaced, the wait
    alone passes the limit, which is the 503 of a busy pool, not what these tests ask)."""
    from app.letters.shared_pool import get_render_pool

    pool = get_render_pool()
    pool.warm()
    wait_until(lambda: all_idle(pool.status()), "every render worker idle")
    with setting(monkeypatch, "REPRISE_RENDER_TIMEOUT_SECONDS", "0.001"):
        yield


def test_a_render_past_the_limit_is_a_clear_422(
    client: CheckedClient, identity_data: dict[str, Any], tiny_render_limit: None
) -> None:
    response = client.post(
        "/api/v1/letters",
        json={"kind": "access", "platform": "doctolib", "identity": identity_data},
    )
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "render"]
    assert "trop de temps" in error["msg"]


@pytest.mark.parametrize(
    ("kind", "options", "loc"),
    [
        ("objection", {"situation": "x" * 1001}, ["options", "situation"]),
        ("portability", {"transmit_to": "x" * 201}, ["options", "transmit_to"]),
        (
            "mandate",
            {"agent": {"name": "Association", "address_lines": ["x" * 121]}},
            ["options", "agent", "address_lines", 0],
        ),
        ("mandate", {"platforms": ["Doctolib"] * 21}, ["options", "platforms"]),
        (
            "rectification",
            {"corrections": [{"corrected": "a"}] * 11},
            ["options", "corrections"],
        ),
        ("medical-record", {"period": "x" * 201}, ["options", "period"]),
    ],
)
def test_oversized_options_get_422_naming_the_field(
    client: CheckedClient,
    identity_data: dict[str, Any],
    kind: str,
    options: dict[str, Any],
    loc: list[Any],
) -> None:
    response = client.post(
        "/api/v1/letters",
        json={"kind": kind, "platform": "doctolib", "identity": identity_data, "options": options},
    )
    assert response.status_code == 422
    locations = [error["loc"] for error in response.json()["detail"]]
    assert ["body", kind, *loc] in locations, locations


def test_an_oversized_pack_is_refused(client: CheckedClient, identity_data: dict[str, Any]) -> None:
    items = [{"platform": "doctolib", "kind": "access"}] * 201
    response = client.post("/api/v1/letters/pack", json={"identity": identity_data, "items": items})
    assert response.status_code == 422
    assert ["body", "items"] in [error["loc"] for error in response.json()["detail"]]


def test_an_oversized_body_is_413(client: CheckedClient, identity_data: dict[str, Any]) -> None:
    items = [{"platform": "doctolib", "kind": "objection", "options": {"situation": "x" * 999}}]
    response = client.post(
        "/api/v1/letters/pack", json={"identity": identity_data, "items": items * 1100}
    )
    assert response.status_code == 413


def test_a_render_past_the_limit_is_a_clear_error_page(
    client: CheckedClient, tiny_render_limit: None
) -> None:
    from tests.support.pages import walk

    walk(client, "doctolib", "access")
    response = client.get("/lettres/lettre.pdf")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "La lettre a mis trop de temps à être produite et a été arrêtée." in response.text
    assert "render:" not in response.text
