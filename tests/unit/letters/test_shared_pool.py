"""One render pool per machine: `reprise serve` runs it and every web worker shares it, single
letters before pack letters whichever worker they come from; the bounded wait counts across
processes; a killed render worker is replaced; without a render server a process renders alone.

Real processes throughout: `reprise serve --workers 2`, its render workers (paused with SIGSTOP
to hold the pool, never timed), and the test process as one more client of the pool."""

from __future__ import annotations

import io
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pikepdf
import pytest

from app.letters import shared_pool
from app.letters.shared_pool import get_render_pool
from app.letters.workers import BACKGROUND, INTERACTIVE, RenderBusy, RenderFailed, RenderPool
from tests.support.render import GOOD_HTML, setting
from tests.support.serving import STARTED, Served, wait_until

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
LETTER = {"kind": "access", "platform": "doctolib", "identity": IDENTITY}
PACK = {
    "identity": IDENTITY,
    "items": [{"platform": "doctolib", "kind": kind} for kind in ("access", "erasure")] * 2,
}
PATIENT = {  # a single letter may wait as long as the test holds the pool
    "REPRISE_RENDER_WORKERS": "1",
    "REPRISE_RENDER_WAIT_SECONDS": "120",
    "REPRISE_RENDER_TIMEOUT_SECONDS": "120",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    service = Served(tmp_path_factory.mktemp("shared"), 2, PATIENT)
    yield service
    service.close()


def finished(client: httpx.Client, location: str) -> bool:
    return client.get(location).json()["state"] not in {"queued", "running"}


def test_a_single_letter_goes_before_the_pack_letters_of_every_web_worker(
    served: Served,
) -> None:
    already = len(served.status()["admitted"])
    paused = served.pause_workers()
    answers: list[httpx.Response] = []
    try:
        locations = []
        for _pack in range(2):
            queued = served.client.post("/api/v1/letters/pack", json=PACK)
            assert queued.status_code == 202
            locations.append(queued.headers["location"])
        # Each web worker's runner makes one pack at a time: one pack letter holds the paused
        # worker, the other web worker's pack letter waits for it.
        wait_until(lambda: served.status()["waiting"] == [BACKGROUND], "a pack letter waiting")
        letter = threading.Thread(
            target=lambda: answers.append(served.client.post("/api/v1/letters", json=LETTER))
        )
        letter.start()
        wait_until(
            lambda: served.status()["waiting"] == [INTERACTIVE, BACKGROUND],
            "the single letter waiting first",
        )
    finally:
        served.resume_workers(paused)
    letter.join(120)
    (answer,) = answers
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF-")
    for location in locations:
        wait_until(lambda location=location: finished(served.client, location), "the packs")
        assert served.client.get(location).json()["state"] == "done"

    admitted = served.status()["admitted"][already:]
    first_pack, single, second_pack = admitted[:3]
    assert single[0] == INTERACTIVE  # before the pack letter that was waiting already
    assert first_pack[0] == second_pack[0] == BACKGROUND
    assert first_pack[1] != second_pack[1]  # the two packs: two web workers, one pool
    pack_workers = {tag for priority, tag in admitted if priority == BACKGROUND}
    assert pack_workers == {first_pack[1], second_pack[1]}
    assert all(priority == BACKGROUND for priority, _tag in admitted[3:])


def uses_pikepdf(pid: int) -> bool:
    return "pikepdf" in Path(f"/proc/{pid}/maps").read_text()


def sections(pdf: bytes) -> list[str]:
    """The kinds of the top-level parts of a tagged PDF's structure."""
    document = pikepdf.open(io.BytesIO(pdf))
    (root,) = document.Root.StructTreeRoot.K
    return [str(part.S) for part in root.K]


def test_packs_are_joined_by_the_render_server_and_pikepdf_stays_out_of_the_web_workers(
    served: Served,
) -> None:
    queued = served.client.post("/api/v1/letters/pack", json=PACK)
    location = queued.headers["location"]
    wait_until(lambda: finished(served.client, location), "the pack")
    status = served.client.get(location).json()
    assert status["state"] == "done"
    pdf = served.client.get(status["file"]).content
    assert len(sections(pdf)) == 5  # the checklist and four letters, each a part of the whole
    web_workers = {int(pid) for pid in STARTED.findall(served.log())}
    assert len(web_workers) == 2
    assert not any(uses_pikepdf(pid) for pid in web_workers)
    assert uses_pikepdf(served.process.pid)  # the supervisor, which runs the render server


def test_a_killed_render_worker_is_replaced_and_the_letter_still_answers(
    served: Served,
) -> None:
    # Killed while rendering a letter: the letter goes to its replacement.
    (paused,) = served.pause_workers()
    answers: list[httpx.Response] = []
    letter = threading.Thread(
        target=lambda: answers.append(served.client.post("/api/v1/letters", json=LETTER))
    )
    letter.start()
    wait_until(lambda: served.status()["busy"] == 1, "the letter on the paused worker")
    os.kill(paused, signal.SIGKILL)
    letter.join(120)
    (answer,) = answers
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF-")
    (replacement,) = served.status()["workers"]
    assert replacement != paused

    # Killed while idle: replaced before any letter meets it.
    os.kill(replacement, signal.SIGKILL)
    wait_until(lambda: served.status()["workers"] not in ([], [replacement]), "a new worker")
    wait_until(served.warm, "the new worker warm")
    assert served.client.post("/api/v1/letters", json=LETTER).status_code == 200


def test_the_wait_for_the_machines_pool_is_bounded_with_503_and_retry_after(
    tmp_path: Path,
) -> None:
    service = Served(tmp_path, 2, {**PATIENT, "REPRISE_RENDER_WAIT_SECONDS": "1"})
    try:
        paused = service.pause_workers()
        # Another process (this test) holds the machine's only render worker.
        held: list[bytes] = []
        holder = threading.Thread(target=lambda: held.append(service.pool.render(GOOD_HTML, 120)))
        holder.start()
        try:
            wait_until(lambda: service.status()["busy"] == 1, "the pool held")
            for _web_request in range(4):  # whichever web worker takes it
                refused = service.client.post("/api/v1/letters", json=LETTER)
                assert refused.status_code == 503
                assert refused.headers["retry-after"] == "1"
                assert "Réessayez dans quelques secondes" in refused.json()["detail"]
            assert service.status()["waiting"] == []
        finally:
            service.resume_workers(paused)
        holder.join(120)
        assert held[0].startswith(b"%PDF-")
        assert service.client.post("/api/v1/letters", json=LETTER).status_code == 200
    finally:
        service.close()


@pytest.fixture
def own_pool() -> Iterator[None]:
    get_render_pool.cache_clear()
    yield
    get_render_pool.cache_clear()


@pytest.mark.parametrize("socket_setting", [None, "/nonexistent/reprise-render/render.sock"])
def test_without_a_render_server_a_process_renders_with_its_own_pool(
    monkeypatch: pytest.MonkeyPatch, own_pool: None, socket_setting: str | None
) -> None:
    if socket_setting is None:
        pool = get_render_pool()
    else:
        with setting(monkeypatch, "REPRISE_RENDER_SOCKET", socket_setting):
            pool = get_render_pool()
    assert isinstance(pool, RenderPool)
    try:
        assert pool.render(GOOD_HTML, 60).startswith(b"%PDF-")
    finally:
        pool.close()


def test_the_render_server_answers_its_own_user_in_a_private_directory(
    tmp_path: Path,
) -> None:
    server = shared_pool.start_render_server(1)
    try:
        assert oct(server.directory.stat().st_mode & 0o777) == "0o700"
        client = shared_pool.RemotePool(str(server.path), 1)
        assert client.render(GOOD_HTML, 60).startswith(b"%PDF-")
        status: dict[str, Any] = client.status()
        assert status["admitted"] == [[INTERACTIVE, str(os.getpid())]]
    finally:
        server.close()
    assert not server.directory.exists()


def test_a_render_server_that_cannot_be_reached_is_busy_not_an_error(tmp_path: Path) -> None:
    gone = shared_pool.RemotePool(str(tmp_path / "render.sock"), 1)
    with pytest.raises(RenderBusy):
        gone.render(GOOD_HTML, 60)


PAGES = [
    GOOD_HTML,
    GOOD_HTML.replace("<p>Bonjour</p>", "<h1>Titre</h1><p>Au revoir</p>"),
    GOOD_HTML,
]


@pytest.mark.parametrize("reachable", [True, False])
def test_the_render_server_joins_a_packs_pdfs_and_without_it_they_are_joined_here(
    tmp_path: Path, reachable: bool
) -> None:
    server = shared_pool.start_render_server(1)
    try:
        client = shared_pool.RemotePool(str(server.path), 1)
        pdfs = client.render_many(PAGES, 60)
        if not reachable:
            client = shared_pool.RemotePool(str(tmp_path / "render.sock"), 1)
        merged = client.merge(pdfs, "Lettres de Zoé « Dupont »", "Zoé Dupont", "fr")
    finally:
        server.close()
    document = pikepdf.open(io.BytesIO(merged))
    assert len(document.pages) == 3
    assert sections(merged) == ["/Part"] * 3
    assert str(document.docinfo.Title) == "Lettres de Zoé « Dupont »"
    assert str(document.Root.Lang) == "fr"


def test_a_merge_the_render_server_cannot_make_is_reported_and_it_goes_on(tmp_path: Path) -> None:
    server = shared_pool.start_render_server(1)
    try:
        client = shared_pool.RemotePool(str(server.path), 1)
        with pytest.raises(RenderFailed):
            client.merge([b"not a PDF"], "Lettres", "Zoé Dupont", "fr")
        pdf = client.render(GOOD_HTML, 60)
        assert len(pikepdf.open(io.BytesIO(client.merge([pdf], "L", "Z", "fr"))).pages) == 1
    finally:
        server.close()
