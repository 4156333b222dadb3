"""`reprise serve --workers N`: a listening socket for each web worker on one address, so that
the kernel spreads connections evenly; a worker that dies, restarts, or is added or removed
keeps every connection answered."""

from __future__ import annotations

import errno
import os
import resource
import select
import signal
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn
from uvicorn.supervisors.multiprocess import SIGNALS

from app import server

CONNECTIONS = 200


def test_the_workers_sockets_share_one_port_and_the_kernel_spreads_connections_among_them() -> None:
    sockets = server.worker_sockets("127.0.0.1", 0, 2)
    clients: list[socket.socket] = []
    try:
        ports = {sock.getsockname()[1] for sock in sockets}
        assert len(ports) == 1
        assert 0 not in ports
        for sock in sockets:
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            sock.setblocking(False)
        (port,) = ports
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(CONNECTIONS)]
        accepted = {sock.fileno(): 0 for sock in sockets}
        while sum(accepted.values()) < CONNECTIONS:
            ready, _, _ = select.select(sockets, [], [], 5)
            assert ready, accepted
            for sock in ready:
                connection, _address = sock.accept()
                connection.close()
                accepted[sock.fileno()] += 1
        # Each gets about half: by chance, fewer than 30 % has a probability under one in 10⁸.
        assert all(count > 0.3 * CONNECTIONS for count in accepted.values()), accepted
    finally:
        for sock in [*sockets, *clients]:
            sock.close()


@pytest.mark.parametrize("shared", [False, True])
def test_the_workers_sockets_are_refused_a_port_another_service_listens_on(shared: bool) -> None:
    other = server.listening_socket("127.0.0.1", 0, shared=shared)
    try:
        with pytest.raises(OSError, match="in use") as refused:
            server.worker_sockets("127.0.0.1", other.getsockname()[1], 2)
        assert refused.value.errno == errno.EADDRINUSE
    finally:
        other.close()


@pytest.fixture
def signal_handlers() -> Iterator[None]:
    """The supervisor takes the process's signals: give them back to pytest."""
    handlers = {sig: signal.getsignal(sig) for sig in SIGNALS}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


@pytest.fixture
def supervised(signal_handlers: None) -> Iterator[tuple[server.Supervisor, int]]:
    sockets = server.worker_sockets("127.0.0.1", 0, 2)
    config = uvicorn.Config("tests.support.pid_app:app", workers=2, log_level="warning")
    supervisor = server.Supervisor(config, sockets)
    try:
        yield supervisor, sockets[0].getsockname()[1]
    finally:
        supervisor.should_exit.set()
        supervisor.terminate_all()
        supervisor.join_all()
        for sock in supervisor.sockets:
            sock.close()


def ready(supervisor: server.Supervisor) -> set[int]:
    for process in supervisor.processes:
        assert process.wait_until_ready(60), process.pid
    return {process.pid for process in supervisor.processes if process.pid is not None}


def held(supervisor: server.Supervisor) -> list[set[int]]:
    """For each worker, which of the supervisor's sockets it holds (as indexes)."""
    inodes = {
        os.fstat(sock.fileno()).st_ino: index for index, sock in enumerate(supervisor.sockets)
    }
    holdings = []
    for process in supervisor.processes:
        links = [os.readlink(fd) for fd in Path(f"/proc/{process.pid}/fd").iterdir()]
        holdings.append(
            {
                inodes[int(link[8:-1])]
                for link in links
                if link.startswith("socket:[") and int(link[8:-1]) in inodes
            }
        )
    return holdings


def ask(port: int) -> int:
    """One request on a connection of its own: the worker that took it answers its pid."""
    return int(httpx.get(f"http://127.0.0.1:{port}/", timeout=60).text)


def answering(port: int, requests: int = 60) -> set[int]:
    return {ask(port) for _ in range(requests)}


def test_each_worker_serves_on_its_own_socket_and_its_replacements_take_it_over(
    supervised: tuple[server.Supervisor, int],
) -> None:
    supervisor, port = supervised
    supervisor.init_processes()
    workers = ready(supervisor)
    assert len(workers) == 2
    assert held(supervisor) == [{0}, {1}]
    assert answering(port) == workers  # fresh connections reach both

    # A worker dies: connections that arrive meanwhile wait on its socket for its replacement.
    dead = supervisor.processes[0]
    assert dead.pid is not None
    os.kill(dead.pid, signal.SIGKILL)
    dead.process.join(30)
    with ThreadPoolExecutor(20) as pool:
        waiting = [pool.submit(ask, port) for _ in range(20)]
        supervisor.keep_subprocess_alive()
        workers = ready(supervisor)
        assert dead.pid not in workers
        assert {answer.result() for answer in waiting} <= workers  # none refused or lost
    assert held(supervisor) == [{0}, {1}]  # the replacement took its predecessor's socket
    assert answering(port) == workers
    assert len(supervisor.sockets) == 2

    # SIGTTIN adds a worker with a socket of its own; SIGTTOU removes one, and its socket.
    supervisor.handle_ttin()
    workers = ready(supervisor)
    assert len(workers) == len(supervisor.sockets) == 3
    assert held(supervisor) == [{0}, {1}, {2}]
    assert answering(port, 90) == workers
    removed = supervisor.sockets[-1]
    supervisor.handle_ttou()
    assert removed.fileno() == -1
    workers = ready(supervisor)
    assert len(workers) == len(supervisor.sockets) == 2
    assert answering(port) == workers

    # SIGHUP: every worker is replaced, each replacement serving before its predecessor goes.
    supervisor.restart_all()
    restarted = ready(supervisor)
    assert not restarted & workers
    assert held(supervisor) == [{0}, {1}]
    assert answering(port) == restarted
    supervisor.handle_ttou()
    supervisor.handle_ttou()  # one is the least
    assert len(supervisor.processes) == len(supervisor.sockets) == 1


def open_descriptors() -> set[int]:
    listed = {int(name) for name in os.listdir("/proc/self/fd")}  # one of them was listdir's
    still = set()
    for fd in listed:
        try:
            os.fstat(fd)
        except OSError:
            continue
        still.add(fd)
    return still


@pytest.mark.parametrize("spare", [0, 1], ids=["no socket", "a socket, no pipe"])
def test_a_worker_that_cannot_be_added_leaves_the_service_as_it_is(
    supervised: tuple[server.Supervisor, int], spare: int
) -> None:
    supervisor, port = supervised
    supervisor.init_processes()
    workers = ready(supervisor)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    used = open_descriptors()
    lowest_free = min(set(range(max(used) + 2)) - used)
    # Out of file descriptors: none left at all, or one for the socket and none for the worker.
    resource.setrlimit(resource.RLIMIT_NOFILE, (lowest_free + spare, hard))
    try:
        supervisor.handle_ttin()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert supervisor.processes_num == len(supervisor.processes) == len(supervisor.sockets) == 2
    assert open_descriptors() == used  # the socket made for it is closed again
    assert answering(port) == workers
