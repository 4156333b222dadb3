"""Admission control of the render pool: single letters go before pack letters, a wait past
its bound is a 503 with Retry-After, and worn-out workers are replaced before they retire."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from app.letters import render
from app.letters.workers import BACKGROUND, INTERACTIVE, RenderBusy, RenderPool
from tests.support.pagecheck import CheckedClient
from tests.support.render import GOOD_HTML, setting


def wait_until(condition: Any) -> None:
    for _attempt in range(2000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("the condition never held")


def test_a_single_letter_goes_before_pack_letters_that_arrived_first(pool: RenderPool) -> None:
    pool.render(GOOD_HTML, 60)  # the worker is warm
    held = pool._acquire(INTERACTIVE, time.monotonic() + 60)  # every worker busy
    finished: list[str] = []

    def render(name: str, priority: int) -> None:
        pool.render(GOOD_HTML, 60, priority)
        finished.append(name)

    threads = [
        threading.Thread(target=render, args=("pack letter 1", BACKGROUND)),
        threading.Thread(target=render, args=("pack letter 2", BACKGROUND)),
        threading.Thread(target=render, args=("single letter", INTERACTIVE)),
    ]
    for count, thread in enumerate(threads, 1):
        thread.start()
        wait_until(lambda count=count: pool.waiting() == count)
    pool._release(held)
    for thread in threads:
        thread.join(60)
    assert finished == ["single letter", "pack letter 1", "pack letter 2"]


def test_a_wait_past_its_bound_raises_busy_and_the_pool_still_serves(pool: RenderPool) -> None:
    held = pool._acquire(INTERACTIVE, time.monotonic() + 60)
    with pytest.raises(RenderBusy):
        pool.render(GOOD_HTML, 30, wait=0.05)
    assert pool.waiting() == 0
    pool._release(held)
    assert pool.render(GOOD_HTML, 60).startswith(b"%PDF-")


def test_pack_letters_leave_one_worker_to_single_letters() -> None:
    two = RenderPool(2)
    try:
        held = two._acquire(BACKGROUND, time.monotonic() + 60)  # a pack letter renders
        with pytest.raises(RenderBusy):  # a second pack letter may not take the last worker
            two.render(GOOD_HTML, 60, BACKGROUND, wait=0.05)
        assert two.render(GOOD_HTML, 60, INTERACTIVE).startswith(b"%PDF-")  # at once
        two._release(held)
        assert two.render(GOOD_HTML, 60, BACKGROUND).startswith(b"%PDF-")  # now it may
    finally:
        two.close()


def test_a_worn_out_worker_serves_until_its_replacement_is_warm() -> None:
    worn_pool = RenderPool(1, max_jobs=2)
    try:
        worn_pool.render(GOOD_HTML, 60)
        (first,) = worn_pool.worker_pids()
        worn_pool.render(GOOD_HTML, 60)  # its last job: a replacement starts warming
        seen: list[list[int]] = []

        def replaced() -> bool:
            seen.append(worn_pool.worker_pids())
            return seen[-1] != [first]

        wait_until(replaced)
        assert all(pids for pids in seen)  # never a moment without a ready worker
        (second,) = seen[-1]
        assert second != first
        assert worn_pool.render(GOOD_HTML, 60).startswith(b"%PDF-")
        assert worn_pool.worker_pids() == [second]
    finally:
        worn_pool.close()


def test_web_workers_asking_together_start_the_pool_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every web worker asks the machine's pool to warm at its start. Two asking at once once
    started a third render process for a pool of two, kept for good (73 MiB more)."""
    two = RenderPool(2)
    started = RenderPool._replace

    def slow_to_count(pool: RenderPool, retire: Any) -> None:
        time.sleep(0.05)  # a start not yet counted when the next web worker asks
        started(pool, retire)

    monkeypatch.setattr(RenderPool, "_replace", slow_to_count)
    try:
        together = threading.Barrier(4)

        def ask() -> None:
            together.wait()
            two.warm()

        askers = [threading.Thread(target=ask) for _ in range(4)]
        for asker in askers:
            asker.start()
        for asker in askers:
            asker.join()
        assert two.status()["busy"] == 2  # two starting, counted; no more
        wait_until(lambda: len(two.worker_pids()) == 2)
        assert two.status()["busy"] == 0
        assert len(two.status()["workers"]) == 2
    finally:
        two.close()


@pytest.fixture
def busy_pool(pool: RenderPool, monkeypatch: pytest.MonkeyPatch) -> Iterator[RenderPool]:
    """A pool whose only worker is taken, and a short wait for a worker."""
    monkeypatch.setattr(render, "get_render_pool", lambda: pool)
    with setting(monkeypatch, "REPRISE_RENDER_WAIT_SECONDS", "0.05"):
        held = pool._acquire(INTERACTIVE, time.monotonic() + 60)
        yield pool
        pool._release(held)


def test_the_api_answers_503_with_retry_after_when_no_worker_frees_in_time(
    client: CheckedClient, identity_data: dict[str, Any], busy_pool: RenderPool
) -> None:
    response = client.post(
        "/api/v1/letters",
        json={"kind": "access", "platform": "doctolib", "identity": identity_data},
    )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert "Réessayez dans quelques secondes" in response.json()["detail"]


def test_the_letter_page_answers_503_with_retry_after(
    client: CheckedClient, busy_pool: RenderPool
) -> None:
    from tests.support.pages import walk

    walk(client, "doctolib", "access")
    response = client.get("/lettres/lettre.pdf")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"].startswith("text/html")
    assert "Le service est très occupé" in response.text
    assert "rien de ce que vous avez saisi" in response.text


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_while_every_request_thread_waits_for_a_render(
    client: CheckedClient,
    identity_data: dict[str, Any],
    pool: RenderPool,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
) -> None:
    import anyio.to_thread

    monkeypatch.setattr(render, "get_render_pool", lambda: pool)
    held = pool._acquire(INTERACTIVE, time.monotonic() + 60)

    def one_request_thread() -> None:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 1

    assert client.portal is not None
    client.portal.call(one_request_thread)
    answers: list[int] = []
    letter = threading.Thread(
        target=lambda: answers.append(
            client.post(
                "/api/v1/letters",
                json={"kind": "access", "platform": "doctolib", "identity": identity_data},
            ).status_code
        )
    )
    letter.start()
    try:
        wait_until(lambda: pool.waiting() == 1)  # the only request thread waits for a worker
        assert client.get(path).status_code == 200
        assert answers == []  # the letter is still waiting
    finally:
        pool._release(held)
        letter.join(60)
    assert answers == [200]


@pytest.fixture
def three_letters_an_hour(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with setting(monkeypatch, "REPRISE_RENDER_LETTERS_PER_ADDRESS", "3"):
        yield


def test_anonymous_rendering_has_a_quota_per_address_counting_each_letter_of_a_pack(
    client: CheckedClient, identity_data: dict[str, Any], three_letters_an_hour: None
) -> None:
    items = [{"platform": "doctolib", "kind": kind} for kind in ("access", "erasure")]
    pack = client.post("/api/v1/letters/pack", json={"identity": identity_data, "items": items})
    assert pack.status_code == 200
    letter = {"kind": "access", "platform": "doctolib", "identity": identity_data}
    assert client.post("/api/v1/letters", json=letter).status_code == 200  # the third letter
    refused = client.post("/api/v1/letters", json=letter)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "beaucoup de lettres" in refused.json()["detail"]
    assert client.post("/api/v1/letters", json=letter | {"format": "txt"}).status_code == 200
    refused_pack = client.post(
        "/api/v1/letters/pack", json={"identity": identity_data, "items": items}
    )
    assert refused_pack.status_code == 429


def test_web_processes_do_not_import_weasyprint() -> None:
    import subprocess
    import sys

    code = "import sys, app.main; app.main.create_app(); print('weasyprint' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("modules", "unwanted"),
    [
        # What a worker imports before its first render (app.letters.render_worker.serve):
        # neither templates nor translations, nor the settings.
        (
            "app.letters.render_worker, app.letters.workers, app.letters.pdf",
            ("jinja2", "babel", "app.i18n", "app.templating", "pydantic_settings", "app.config"),
        ),
        # The render server, in the process of `reprise serve`: no WeasyPrint either.
        (
            "app.letters.shared_pool",
            ("jinja2", "babel", "app.i18n", "app.templating", "weasyprint"),
        ),
    ],
)
def test_render_workers_load_weasyprint_without_templates_or_translations(
    modules: str, unwanted: tuple[str, ...]
) -> None:
    import subprocess
    import sys

    code = f"import sys, {modules}; print([m for m in {unwanted!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_render_workers_find_the_same_static_files_as_the_settings() -> None:
    from app import config
    from app.letters import pdf

    assert pdf.STATIC_DIR == config.STATIC_DIR
