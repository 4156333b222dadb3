"""SQLite survives a writer killed with SIGKILL at random points (security.md, item 21).

Each round forks a writer committing numbered rows through the project's engine and kills it
after a random number of acknowledged commits plus a random delay. After each kill the database
passes PRAGMA integrity_check, holds every acknowledged row, holds rows 0..N without a hole, and
its counter row agrees with them (both are written in one transaction).

A kill -9 tests atomicity and recovery; the operating system still writes what the process
handed it. Power loss, where synchronous=FULL matters, is not simulated here; the pragma itself
is asserted in test_database.py.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from app.config import PROJECT_ROOT
from app.db import make_engine

ROUNDS = 60
MAX_ACKS_BEFORE_KILL = 12


class Lines:
    """Lines from a pipe, with a deadline so a stuck writer fails the test instead of hanging."""

    def __init__(self, stream: int) -> None:
        self.fd = stream
        self.buffer = b""

    def next(self, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            assert left > 0, "the writer stopped answering"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 65536)
                assert chunk, "the writer process ended"
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()


def _check(url: str) -> set[int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            ids = {row[0] for row in connection.execute(text("SELECT id FROM probe"))}
            last = connection.execute(text("SELECT last FROM probe_counter")).scalar()
    finally:
        engine.dispose()
    assert ids == set(range(len(ids))), "a committed row is missing between others"
    assert last == len(ids) - 1, "the counter and the rows disagree: a transaction was split"
    return ids


def test_killed_writers_lose_no_acknowledged_write(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE probe (id INTEGER PRIMARY KEY, payload BLOB)"))
        connection.execute(text("CREATE TABLE probe_counter (last INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO probe_counter (last) VALUES (-1)"))
    engine.dispose()

    stderr = (tmp_path / "writer.err").open("wb")
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.support.crash_writer", url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        cwd=PROJECT_ROOT,
    )
    assert writer.stdin is not None
    assert writer.stdout is not None
    lines = Lines(writer.stdout.fileno())
    rng = random.Random(os.environ.get("PYTEST_XDIST_TESTRUNUID", "crash"))
    acknowledged: set[int] = set()
    kills_after_acks = 0
    try:
        next_id = 0
        for _round in range(ROUNDS):
            writer.stdin.write(f"run {next_id}\n".encode())
            writer.stdin.flush()
            kind, pid_text = lines.next().split()
            assert kind == "pid", (tmp_path / "writer.err").read_text()
            pid = int(pid_text)
            wanted = rng.randrange(MAX_ACKS_BEFORE_KILL + 1)
            seen = 0
            while seen < wanted:
                line = lines.next()
                assert line.startswith("ack "), (tmp_path / "writer.err").read_text()
                acknowledged.add(int(line.split()[1]))
                seen += 1
            time.sleep(rng.random() * 0.004)  # lands anywhere in the next commit
            os.kill(pid, signal.SIGKILL)
            # What the child wrote before dying comes before the parent's `dead` line.
            while (line := lines.next()) != f"dead {pid}":
                assert line.startswith("ack "), line
                acknowledged.add(int(line.split()[1]))
            kills_after_acks += seen > 0
            ids = _check(url)
            assert acknowledged <= ids, f"lost acknowledged rows: {sorted(acknowledged - ids)}"
            next_id = len(ids)
    finally:
        writer.stdin.close()
        writer.wait(timeout=20)
        writer.stdout.close()
        stderr.close()
    assert len(acknowledged) > ROUNDS  # the writers did write
    assert kills_after_acks > ROUNDS // 2
