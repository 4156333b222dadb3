"""PDF rendering in worker processes: warm renderers, both cores, and a time limit that holds.

WeasyPrint cannot be interrupted inside a thread, so each render runs in a worker process that
keeps its fonts and styles loaded; a render that outlives the limit is stopped by ending its
process, and a fresh worker takes its place.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from multiprocessing.connection import Connection
from typing import Any

logger = logging.getLogger(__name__)

STARTUP_SECONDS = 60.0
WARM_UP_HTML = "<!doctype html><html lang='fr'><body><p class='letter'>Reprise</p></body></html>"


class RenderTimeout(Exception):
    """A render took longer than the limit and was stopped."""


class RenderFailed(Exception):
    """A worker could not render (it crashed or raised)."""


def _worker_main(connection: Connection) -> None:
    """A worker: one warm renderer answering HTML with PDF bytes until told to stop."""
    from app.letters.render import PdfRenderer

    renderer = PdfRenderer()
    renderer.render(WARM_UP_HTML)
    connection.send(("ready", os.getpid()))
    while True:
        try:
            html = connection.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if html is None:
            return
        try:
            connection.send(("ok", renderer.render(html)))
        except Exception as exc:  # Reported to the parent, which raises RenderFailed.
            connection.send(("error", type(exc).__name__))


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self, context: Any) -> None:
        parent, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.connection: Connection = parent
        self.jobs = 0
        self.ready = False

    @property
    def pid(self) -> int | None:
        pid: int | None = self.process.pid
        return pid

    def _wait_ready(self) -> None:
        if self.ready:
            return
        if not self.connection.poll(STARTUP_SECONDS):
            raise RenderFailed("the worker did not start")
        status, _pid = self.connection.recv()
        if status != "ready":
            raise RenderFailed("the worker did not start")
        self.ready = True

    def run(self, html: str, timeout: float) -> bytes:
        self._wait_ready()
        self.connection.send(html)
        if not self.connection.poll(timeout):
            raise RenderTimeout
        try:
            status, payload = self.connection.recv()
        except EOFError as exc:
            raise RenderFailed("the worker stopped") from exc
        self.jobs += 1
        if status != "ok":
            raise RenderFailed(str(payload))
        assert isinstance(payload, bytes)
        return payload

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class RenderPool:
    """A few warm workers (one per core by default), started when first needed."""

    def __init__(self, size: int, max_jobs: int = 2000) -> None:
        self.size = max(1, size)
        self.max_jobs = max_jobs
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._count = 0

    def _acquire(self) -> Worker:
        with self._lock:
            if self._idle.empty() and self._count < self.size:
                self._count += 1
                try:
                    return Worker(self._context)
                except BaseException:
                    self._count -= 1
                    raise
        return self._idle.get()

    def _release(self, worker: Worker | None) -> None:
        if worker is not None and worker.jobs < self.max_jobs and worker.process.is_alive():
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
        return [worker.pid for worker in list(self._idle.queue) if worker.pid is not None]

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get().stop()
        self._count = 0


@lru_cache(maxsize=1)
def get_render_pool() -> RenderPool:
    """The process's pool: REPRISE_RENDER_WORKERS workers (default: one per core, at most 4)."""
    from app.config import get_settings

    size = get_settings().render_workers or min(4, os.cpu_count() or 1)
    return RenderPool(size)
