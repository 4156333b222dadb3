"""PDF rendering in worker processes: warm renderers, both cores, and a time limit that holds.

WeasyPrint cannot be interrupted inside a thread, so each render runs in a worker process that
keeps its fonts and styles loaded; a render that outlives the limit is stopped by ending its
process, and a fresh worker takes its place.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import math
import os
import queue
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import IO

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
STARTUP_SECONDS = 60.0
WARM_UP_HTML = "<!doctype html><html lang='fr'><body><p class='letter'>Reprise</p></body></html>"


class RenderTimeout(Exception):
    """A render took longer than the limit and was stopped."""


class RenderFailed(Exception):
    """A worker could not render (it crashed or raised)."""


HEADER = struct.Struct(">cI")  # status (b"r" ready, b"k" ok, b"e" error), payload length


def _send(stream: IO[bytes], status: bytes, payload: bytes) -> None:
    stream.write(HEADER.pack(status, len(payload)))
    stream.write(payload)
    stream.flush()


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _receive(stream: IO[bytes]) -> tuple[bytes, bytes]:
    status, size = HEADER.unpack(_read_exactly(stream, HEADER.size))
    return status, _read_exactly(stream, size)


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """A worker's loop: one warm renderer answering HTML with PDF bytes until its input ends."""
    from app.letters.render import PdfRenderer

    renderer = PdfRenderer()
    renderer.render(WARM_UP_HTML)
    _send(answers, b"r", str(os.getpid()).encode())
    while True:
        try:
            _status, html = _receive(requests)
        except EOFError:
            return
        try:
            _send(answers, b"k", renderer.render(html.decode()))
        except Exception as exc:  # Reported to the parent, which raises RenderFailed.
            _send(answers, b"e", type(exc).__name__.encode())


class Worker:
    """One worker process (python -m app.letters.workers) and the pipes to it."""

    def __init__(self) -> None:
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), environment.get("PYTHONPATH", "")])
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.letters.workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.requests: IO[bytes] = self.process.stdin
        self.answers: IO[bytes] = self.process.stdout
        self.jobs = 0
        self.ready = False

    @property
    def pid(self) -> int:
        return self.process.pid

    def _wait(self, timeout: float) -> bool:
        readable, _w, _x = select.select([self.answers], [], [], timeout)
        return bool(readable)

    def _wait_ready(self) -> None:
        if self.ready:
            return
        try:
            if not self._wait(STARTUP_SECONDS):
                raise RenderFailed("the worker did not start")
            status, _pid = _receive(self.answers)
        except EOFError as exc:
            raise RenderFailed("the worker did not start") from exc
        if status != b"r":
            raise RenderFailed("the worker did not start")
        self.ready = True

    def run(self, html: str, timeout: float) -> bytes:
        self._wait_ready()
        try:
            _send(self.requests, b"h", html.encode())
            if not self._wait(timeout):
                raise RenderTimeout
            status, payload = _receive(self.answers)
        except (EOFError, BrokenPipeError) as exc:
            raise RenderFailed("the worker stopped") from exc
        self.jobs += 1
        if status != b"k":
            raise RenderFailed(payload.decode(errors="replace"))
        return payload

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait(5)
        for stream in (self.requests, self.answers):
            # A pipe whose reader died may fail to flush; it is closed all the same.
            with contextlib.suppress(OSError):
                stream.close()


class RenderPool:
    """A few warm workers (one per core by default), started when first needed."""

    def __init__(self, size: int, max_jobs: int = 2000) -> None:
        self.size = max(1, size)
        self.max_jobs = max_jobs
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._count = 0

    def _acquire(self) -> Worker:
        with self._lock:
            if self._idle.empty() and self._count < self.size:
                self._count += 1
                try:
                    return Worker()
                except BaseException:
                    self._count -= 1
                    raise
        return self._idle.get()

    def _release(self, worker: Worker | None) -> None:
        if worker is not None and worker.jobs < self.max_jobs and worker.alive():
            self._idle.put(worker)
            return
        if worker is not None:
            worker.stop()
        with self._lock:
            self._count -= 1

    def render(self, html: str, timeout: float) -> bytes:
        """One PDF; raises RenderTimeout when the render outlives `timeout` seconds."""
        worker: Worker | None = self._acquire()
        assert worker is not None
        try:
            return worker.run(html, timeout)
        except (RenderTimeout, RenderFailed, OSError):
            worker.stop()
            self._release(None)
            worker = None
            raise
        finally:
            if worker is not None:
                self._release(worker)

    def render_many(self, documents: Sequence[str], timeout: float) -> list[bytes]:
        """Many PDFs on every worker at once; the whole batch has `timeout` per round."""
        if not documents:
            return []
        deadline = time.monotonic() + timeout * math.ceil(len(documents) / self.size)

        def one(html: str) -> bytes:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RenderTimeout
            return self.render(html, min(timeout, remaining))

        with ThreadPoolExecutor(max_workers=self.size) as executor:
            return list(executor.map(one, documents))

    def worker_pids(self) -> list[int]:
        """The process ids of the idle workers (for the benchmark's memory figures)."""
        return [worker.pid for worker in list(self._idle.queue)]

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get().stop()
        self._count = 0


@lru_cache(maxsize=1)
def get_render_pool() -> RenderPool:
    """The process's pool: REPRISE_RENDER_WORKERS workers (default: one per core, at most 4)."""
    from app.config import get_settings

    size = get_settings().render_workers or min(4, os.cpu_count() or 1)
    pool = RenderPool(size)
    atexit.register(pool.close)
    return pool


if __name__ == "__main__":
    # Answers go to the real stdout; anything else printed goes to stderr.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, answers)
