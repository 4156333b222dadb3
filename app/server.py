"""`reprise serve`: listening sockets with TCP_NODELAY (one per web worker), uvicorn's fast loop
and parser, logging in every worker, and one render pool for the machine, shared by every web
worker."""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process

RENDER_WORKERS = "REPRISE_RENDER_WORKERS"
BASE_URL = "REPRISE_BASE_URL"
# glibc gives each thread that allocates an arena of its own: in a web worker (a thread per
# request in flight) that is about 20 MiB of memory more, for no speed (the GIL serialises).
MALLOC_ARENAS = "MALLOC_ARENA_MAX"
REQUEST_SLOTS = "REPRISE_REQUEST_SLOTS"
BACKLOG = 2048


logger = logging.getLogger("uvicorn.error")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listening_socket(host: str, port: int, *, shared: bool = False) -> socket.socket:
    """A served socket. TCP_NODELAY is set here because Linux hands it to every accepted
    connection: without it, Nagle's algorithm meets the client's delayed ACK (a 40 ms stall
    on every kept-alive request) whenever uvicorn runs several workers. `shared` sockets
    (SO_REUSEPORT) are bound to one address together, one per web worker."""
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if shared:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def worker_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """One listening socket per web worker, all on one address (SO_REUSEPORT): the kernel
    spreads new connections among them evenly. The address is first bound alone, as a check
    that no other service listens there (SO_REUSEPORT would let a second `reprise serve` of the
    same user join this one's port without a word) and to learn the port when `port` is 0."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as alone:
        alone.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        alone.bind((host, port))
        port = alone.getsockname()[1]
    sockets: list[socket.socket] = []
    try:
        for _worker in range(count):
            sockets.append(listening_socket(host, port, shared=True))
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class Supervisor(Multiprocess):
    """uvicorn's supervisor of web workers (a dead worker is replaced, SIGHUP restarts them
    all, SIGTTIN and SIGTTOU add and remove one), with a listening socket for each worker.
    With one socket for all, the first worker to wake accepts a whole burst of connections:
    50 kept-alive clients split 11/39, and the busier worker set the slowest answers. A
    replacement takes over its predecessor's socket, so no waiting connection is dropped.
    `sockets` are the workers' sockets, from `worker_sockets`, one per worker."""

    def _start(self, slot: int) -> Process:
        process = Process(self.config, [self.sockets[slot]])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._start(slot) for slot in range(self.processes_num)]

    def restart_all(self) -> None:
        """Each worker's replacement serves before the old worker retires, as in uvicorn."""
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._start(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    logger.error(
                        "New child process [%s] was not ready in time; keeping worker [%s] "
                        "and aborting the restart.",
                        new.pid,
                        old.pid,
                    )
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        for slot, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()  # hung: ended for good
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                # it failed before serving: every replacement would fail the same way
                logger.error(
                    "Child process [%s] failed to start, stopping the parent process.",
                    process.pid,
                )
                self.should_exit.set()
                return
            logger.info("Child process [%s] died", process.pid)
            self.processes[slot] = self._start(slot)

    def handle_ttin(self) -> None:
        """One more worker on a socket of its own; when either cannot be had (out of file
        descriptors, say), the service goes on as it is."""
        logger.info("Received SIGTTIN, increasing the number of processes.")
        host, port = self.sockets[0].getsockname()[:2]
        try:
            self.sockets.append(listening_socket(host, port, shared=True))
        except OSError as exc:
            logger.error("No socket for one more worker: %s", exc)
            return
        try:
            process = self._start(len(self.sockets) - 1)
        except OSError as exc:
            self.sockets.pop().close()
            logger.error("One more worker could not start: %s", exc)
            return
        self.processes_num += 1
        self.processes.append(process)

    def handle_ttou(self) -> None:
        """The last worker stops, then its socket closes: connections the kernel had queued
        on that socket and no worker accepted yet are refused (Linux moves them to another
        socket only with net.ipv4.tcp_migrate_req)."""
        logger.info("Received SIGTTOU, decreasing number of processes.")
        if self.processes_num <= 1:
            logger.info("Already reached one process, cannot decrease the number of processes.")
            return
        self.processes_num -= 1
        process = self.processes.pop()
        process.terminate()
        process.join()
        self.sockets.pop().close()


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

    from app.config import get_settings
    from app.letters.shared_pool import RENDER_SOCKET, start_render_server

    cores = os.cpu_count() or 1
    os.environ.update(worker_environment(dict(os.environ), host, port, workers, cores))
    sockets = worker_sockets(host, port, workers) if workers > 1 else [listening_socket(host, port)]
    renderer = None
    try:
        renderer = start_render_server(int(os.environ[RENDER_WORKERS]))
        os.environ[RENDER_SOCKET] = str(renderer.path)
        get_settings.cache_clear()
        config = uvicorn_config(host, port, workers, get_settings().log_level)
        if workers > 1:
            Supervisor(config, sockets=sockets).run()
        else:
            uvicorn.Server(config).run(sockets=sockets)
    finally:
        for sock in sockets:
            sock.close()
        if renderer is not None:
            renderer.close()
            os.environ.pop(RENDER_SOCKET, None)
            get_settings.cache_clear()
