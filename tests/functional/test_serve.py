"""`reprise serve`: TCP_NODELAY on the served socket whatever the worker count, uvicorn's
standard extras, logs from every worker, a base URL that follows the address served, and the
machine's render pool started before the web workers."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import server
from app.config import get_settings
from tests.support.servers import free_port


def nodelay(sock: socket.socket) -> bool:
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


def test_the_served_socket_and_every_connection_it_accepts_have_tcp_nodelay() -> None:
    listener = server.listening_socket("127.0.0.1", 0)
    try:
        assert nodelay(listener)
        client = socket.create_connection(listener.getsockname())
        accepted, _address = listener.accept()
        assert nodelay(accepted)  # Linux hands the option to each accepted connection
        accepted.close()
        client.close()
    finally:
        listener.close()


@pytest.fixture
def served_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """serve() writes the workers' environment: put back what it changes."""
    monkeypatch.delenv(server.BASE_URL, raising=False)
    monkeypatch.delenv(server.RENDER_WORKERS, raising=False)
    monkeypatch.delenv(server.MALLOC_ARENAS, raising=False)
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_serve_hands_uvicorn_the_nodelay_socket_with_uvloop_and_httptools(
    monkeypatch: pytest.MonkeyPatch, served_environment: None, workers: int
) -> None:
    import uvicorn

    seen: dict[str, Any] = {}

    def single(self: uvicorn.Server, sockets: list[socket.socket]) -> None:
        seen.update(config=self.config, sockets=sockets)

    class Supervisor:
        def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
            seen.update(config=config, sockets=list(sockets))

        def run(self) -> None:
            seen["supervised"] = True

    monkeypatch.setattr(uvicorn.Server, "run", single)
    monkeypatch.setattr(server, "Supervisor", Supervisor)
    server.serve("127.0.0.1", 0, workers)
    sockets = seen["sockets"]
    assert len(sockets) == workers  # a socket for each web worker
    assert all(sock.fileno() == -1 for sock in sockets)  # closed once the service ends
    config = seen["config"]
    assert (config.loop, config.http, config.workers) == ("uvloop", "httptools", workers)
    assert seen.get("supervised", False) == (workers > 1)


def test_serve_sets_nodelay_on_the_sockets_it_passes(
    monkeypatch: pytest.MonkeyPatch, served_environment: None
) -> None:
    options: list[bool] = []

    class Supervisor:
        def __init__(self, config: Any, sockets: list[socket.socket]) -> None:
            options.extend(nodelay(sock) for sock in sockets)

        def run(self) -> None:
            pass

    monkeypatch.setattr(server, "Supervisor", Supervisor)
    server.serve("127.0.0.1", 0, 2)
    assert options == [True, True]


@pytest.mark.parametrize(
    ("environ", "host", "port", "workers", "cores", "base_url", "render_workers"),
    [
        ({}, "127.0.0.1", 8101, 1, 2, "http://127.0.0.1:8101", "2"),
        ({}, "0.0.0.0", 8102, 2, 2, "http://127.0.0.1:8102", "2"),
        ({}, "::", 8103, 2, 8, "http://[::1]:8103", "4"),
        ({}, "localhost", 8000, 3, 2, "http://localhost:8000", "2"),
        (
            {"REPRISE_BASE_URL": "https://reprise.example.org"},
            "127.0.0.1",
            8101,
            1,
            2,
            None,
            "2",
        ),
        ({"REPRISE_RENDER_WORKERS": "6"}, "127.0.0.1", 8000, 2, 2, "http://127.0.0.1:8000", "6"),
    ],
)
def test_the_base_url_follows_host_and_port_unless_set_and_the_render_pool_is_the_machines(
    environ: dict[str, str],
    host: str,
    port: int,
    workers: int,
    cores: int,
    base_url: str | None,
    render_workers: str,
) -> None:
    updates = server.worker_environment(environ, host, port, workers, cores)
    assert updates.get(server.BASE_URL) == base_url
    assert updates[server.RENDER_WORKERS] == render_workers
    assert updates[server.MALLOC_ARENAS] == "2"
    assert server.MALLOC_ARENAS not in server.worker_environment(
        {"MALLOC_ARENA_MAX": "8"}, host, port, workers, cores
    )


@pytest.mark.parametrize(
    ("environ", "workers", "cores", "slots"),
    [
        ({}, 1, 2, "4"),
        ({}, 2, 2, "2"),
        ({}, 4, 2, "2"),  # never fewer than two
        ({}, 2, 8, "8"),
        ({"REPRISE_REQUEST_SLOTS": "6"}, 2, 2, None),  # set by the operator: left as it is
    ],
)
def test_each_web_worker_gets_its_share_of_two_request_slots_per_core(
    environ: dict[str, str], workers: int, cores: int, slots: str | None
) -> None:
    updates = server.worker_environment(environ, "127.0.0.1", 8000, workers, cores)
    assert updates.get(server.REQUEST_SLOTS) == slots


def test_serve_starts_the_machines_render_pool_before_the_web_workers(
    monkeypatch: pytest.MonkeyPatch, served_environment: None
) -> None:
    import uvicorn

    from app.letters.shared_pool import RENDER_SOCKET, RemotePool, get_render_pool

    seen: dict[str, Any] = {}

    def web_workers(self: uvicorn.Server, sockets: list[socket.socket]) -> None:
        path = Path(os.environ[RENDER_SOCKET])
        seen.update(path=path, mode=path.parent.stat().st_mode & 0o777)
        get_render_pool.cache_clear()
        pool = get_render_pool()  # as a web worker finds it
        seen.update(remote=isinstance(pool, RemotePool), size=pool.status()["size"])
        get_render_pool.cache_clear()

    monkeypatch.setenv(server.RENDER_WORKERS, "1")
    monkeypatch.setattr(uvicorn.Server, "run", web_workers)
    server.serve("127.0.0.1", 0, 1)
    assert seen["mode"] == 0o700  # a private directory: only this user reaches the pool
    assert (seen["remote"], seen["size"]) == (True, 1)
    assert not seen["path"].parent.exists()  # gone with the service
    assert RENDER_SOCKET not in os.environ


def test_make_run_port_reaches_the_emailed_links(
    monkeypatch: pytest.MonkeyPatch, served_environment: None
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets: None)
    server.serve("127.0.0.1", 0, 1)
    assert get_settings().base_url == "http://127.0.0.1:0"


def test_logs_and_access_logs_arrive_from_every_worker(tmp_path: Path) -> None:
    port = free_port()
    environment = {
        **os.environ,
        "REPRISE_VAR_DIR": str(tmp_path),
        "REPRISE_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
    }
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        started = re.compile(r"\[(\d+)\] uvicorn\.error: Application startup complete")
        access = re.compile(r"\[(\d+)\] reprise\.http: GET /healthz 200")
        text = ""
        for _attempt in range(600):
            text = Path(log.name).read_text()
            if len(set(started.findall(text))) == 2:
                break
            time.sleep(0.1)
        workers = set(started.findall(text))
        assert len(workers) == 2, text
        # Fresh connections, several at once: the kernel hands them to both workers.
        for _round in range(50):
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
                clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}") for _ in range(8)]
                for other in clients:
                    assert other.get("/healthz").status_code == 200
                    other.close()
                assert client.get("/healthz").status_code == 200
            if set(access.findall(Path(log.name).read_text())) == workers:
                break
        assert set(access.findall(Path(log.name).read_text())) == workers
    finally:
        process.terminate()
        process.wait(30)
        log.close()
