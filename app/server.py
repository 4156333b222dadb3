"""`reprise serve`: one listening socket with TCP_NODELAY, uvicorn's fast loop and parser,
logging in every worker, and one render pool for the machine, shared by every web worker."""

from __future__ import annotations

import os
import socket
from typing import Any

RENDER_WORKERS = "REPRISE_RENDER_WORKERS"
BASE_URL = "REPRISE_BASE_URL"
# glibc gives each thread that allocates an arena of its own: in a web worker (a thread per
# request in flight) that is about 20 MiB of memory more, for no speed (the GIL serialises).
MALLOC_ARENAS = "MALLOC_ARENA_MAX"
REQUEST_SLOTS = "REPRISE_REQUEST_SLOTS"
BACKLOG = 2048


def listening_socket(host: str, port: int) -> socket.socket:
    """The served socket. TCP_NODELAY is set here because Linux hands it to every accepted
    connection: without it, Nagle's algorithm meets the client's delayed ACK (a 40 ms stall
    on every kept-alive request) whenever uvicorn runs several workers."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def base_url_for(host: str, port: int) -> str:
    """The address emailed links use when REPRISE_BASE_URL is not set: the one being served."""
    shown = "127.0.0.1" if host in {"", "0.0.0.0"} else "::1" if host == "::" else host  # noqa: S104
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def worker_environment(
    environ: dict[str, str], host: str, port: int, workers: int, cores: int
) -> dict[str, str]:
    """What the web workers inherit: the base URL (unless set) and the size of the machine's
    render pool, which they all share: one worker per core, at most 4 (or
    REPRISE_RENDER_WORKERS, read as the total for the machine), whatever `workers` is; and
    two malloc arenas per process unless MALLOC_ARENA_MAX is set; and each web worker's share of
    the machine's request slots, two per core (app.admission), unless REPRISE_REQUEST_SLOTS
    is set."""
    updates: dict[str, str] = {}
    if not environ.get(BASE_URL):
        updates[BASE_URL] = base_url_for(host, port)
    if not environ.get(MALLOC_ARENAS):
        updates[MALLOC_ARENAS] = "2"
    from app.letters.workers import default_pool_size

    total = int(environ.get(RENDER_WORKERS) or 0) or default_pool_size(cores)
    updates[RENDER_WORKERS] = str(max(1, total))
    if not environ.get(REQUEST_SLOTS):
        from app.admission import default_slots

        updates[REQUEST_SLOTS] = str(default_slots(cores, workers))
    return updates


def uvicorn_config(host: str, port: int, workers: int, log_level: str) -> Any:
    import uvicorn

    from app.logs import logging_config

    return uvicorn.Config(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=False,  # the app's own access log names no path and no address
        proxy_headers=True,
        log_config=logging_config(log_level),
    )


def serve(host: str, port: int, workers: int) -> None:
    """Run the web service until interrupted: the render pool first, in this process, then the
    web workers, which reach it through REPRISE_RENDER_SOCKET."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from app.config import get_settings
    from app.letters.shared_pool import RENDER_SOCKET, start_render_server

    cores = os.cpu_count() or 1
    os.environ.update(worker_environment(dict(os.environ), host, port, workers, cores))
    sock = listening_socket(host, port)
    renderer = None
    try:
        renderer = start_render_server(int(os.environ[RENDER_WORKERS]))
        os.environ[RENDER_SOCKET] = str(renderer.path)
        get_settings.cache_clear()
        config = uvicorn_config(host, port, workers, get_settings().log_level)
        if workers > 1:
            Multiprocess(config, sockets=[sock]).run()
        else:
            uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        if renderer is not None:
            renderer.close()
            os.environ.pop(RENDER_SOCKET, None)
            get_settings.cache_clear()
