"""PDF rendering in worker processes: warm renderers, both cores, and a time limit that holds.

WeasyPrint cannot be interrupted inside a thread, so each render runs in a worker process that
keeps its fonts and styles loaded; a render that outlives the limit is stopped by ending its
process, and a fresh worker takes its place.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import math
import os
import select
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

from app.letters.frames import receive, send

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
STARTUP_SECONDS = 60.0
ADMITTED = 1000  # renders remembered in RenderPool.admitted


class RenderTimeout(Exception):
    """A render took longer than the limit and was stopped."""


class RenderFailed(Exception):
    """A worker could not render (it crashed or raised)."""


class WorkerLost(RenderFailed):
    """The worker died (killed, or out of memory) before answering: another one may render."""


class Worker:
    """One worker process (python -m app.letters.render_worker) and the pipes to it."""

    def __init__(self) -> None:
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), environment.get("PYTHONPATH", "")])
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.letters.render_worker"],
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

    def wait_ready(self) -> None:
        if self.ready:
            return
        try:
            if not self._wait(STARTUP_SECONDS):
                raise RenderFailed("the worker did not start")
            status, _pid = receive(self.answers)
        except (EOFError, OSError) as exc:
            raise WorkerLost("the worker did not start") from exc
        if status != b"r":
            raise WorkerLost("the worker did not start")
        self.ready = True

    def run(self, html: str, timeout: float) -> bytes:
        self.wait_ready()
        try:
            send(self.requests, b"h", html.encode())
            if not self._wait(timeout):
                raise RenderTimeout
            status, payload = receive(self.answers)
        except (EOFError, BrokenPipeError) as exc:
            raise WorkerLost("the worker stopped") from exc
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


INTERACTIVE = 0  # a single letter someone is waiting for
BACKGROUND = 1  # a letter of a pack, rendered by a job


class RenderBusy(Exception):
    """No worker became free within the wait allowed: the caller answers 503."""


def default_pool_size(cores: int | None) -> int:
    """The machine's render workers without REPRISE_RENDER_WORKERS: one per core, at most 4."""
    return min(4, cores or 1)


class RenderPool:
    """A few warm workers (one per core by default) with admission control.

    Waiters are served by priority (single letters before pack letters), then in order of
    arrival, and pack letters never take the last free worker; a wait past its deadline raises
    RenderBusy. A worker that has done `max_jobs` renders, or was stopped for running past the
    limit, is replaced by a fresh one that warms up in the background, so no request waits for a
    worker to start. A worker found dead (killed from outside) is replaced too, and the render
    it had is tried once more on another worker.
    """

    def __init__(self, size: int, max_jobs: int = 2000) -> None:
        self.size = max(1, size)
        self.max_jobs = max_jobs
        self._idle: list[Worker] = []
        self._condition = threading.Condition()
        self._count = 0  # workers alive or starting, idle or busy
        self._waiting: list[tuple[int, int]] = []  # heap of (priority, arrival)
        self._arrivals = itertools.count()
        self._retiring: set[Worker] = set()  # replacement warming up
        self._replaced: set[Worker] = set()  # replacement warm: stop when released
        self._workers: set[Worker] = set()  # every worker started and not yet stopped
        # Who got a worker, in order: (priority, tag) of the last ADMITTED renders.
        self.admitted: deque[tuple[int, str]] = deque(maxlen=ADMITTED)

    def _acquire(self, priority: int, deadline: float, tag: str = "") -> Worker:
        ticket = (priority, next(self._arrivals))
        with self._condition:
            heapq.heappush(self._waiting, ticket)
            try:
                while True:
                    if self._waiting[0] == ticket and self._may_take(priority):
                        if self._idle:
                            self.admitted.append((priority, tag))
                            return self._idle.pop()
                        if self._count < self.size:
                            self._count += 1
                            self.admitted.append((priority, tag))
                            break
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise RenderBusy
                    self._condition.wait(remaining)
            finally:
                self._waiting.remove(ticket)
                heapq.heapify(self._waiting)
                self._condition.notify_all()
        try:
            return self._started(Worker())
        except BaseException:
            self._forget(None)
            raise

    def _may_take(self, priority: int) -> bool:
        """Pack letters leave one worker (idle or yet to start) to single letters, so that a
        single letter never waits for a pack letter to finish (unless the pool has one)."""
        spare = len(self._idle) + self.size - self._count
        return priority != BACKGROUND or self.size == 1 or spare > 1

    def _started(self, worker: Worker) -> Worker:
        with self._condition:
            self._workers.add(worker)
            return worker

    def waiting(self) -> int:
        """How many renders wait for a worker."""
        with self._condition:
            return len(self._waiting)

    def status(self) -> dict[str, Any]:
        """What the pool is doing: its size, the priorities waiting (in the order they will be
        served), the workers' process ids, and who got a worker lately, in order."""
        with self._condition:
            return {
                "size": self.size,
                "waiting": [priority for priority, _arrival in sorted(self._waiting)],
                "busy": self._count - len(self._idle),
                "workers": sorted(worker.pid for worker in self._workers),
                "admitted": [list(entry) for entry in self.admitted],
            }

    def replace_dead(self) -> None:
        """Replace the idle workers that died (killed from outside) before a render meets them."""
        with self._condition:
            dead = [worker for worker in self._idle if not worker.alive()]
            for worker in dead:
                self._idle.remove(worker)
        for worker in dead:
            self._forget(worker)
            self._replace(None)

    def _forget(self, worker: Worker | None) -> None:
        """One worker fewer (it was stopped, or never started)."""
        if worker is not None:
            worker.stop()
        with self._condition:
            self._workers.discard(worker)
            self._count -= 1
            self._condition.notify_all()

    def _replace(self, retire: Worker | None) -> None:
        """Start a worker in the background; once it is warm, `retire` (if any) goes."""
        with self._condition:
            self._count += 1
        self._start(retire)

    def _start(self, retire: Worker | None) -> None:
        """Start a worker already counted in `_count`."""

        def warm() -> None:
            try:
                fresh = self._started(Worker())
                fresh.wait_ready()
            except Exception as exc:
                logger.error("a render worker did not start: %s", type(exc).__name__)
                self._forget(None)
                return
            stop_now = False
            with self._condition:
                self._idle.append(fresh)
                if retire is not None:
                    self._retiring.discard(retire)
                    if retire in self._idle:
                        self._idle.remove(retire)
                        stop_now = True
                    else:
                        self._replaced.add(retire)  # busy: it goes when released
                self._condition.notify_all()
            if stop_now:
                self._forget(retire)

        threading.Thread(target=warm, name="render-worker-start", daemon=True).start()

    def _release(self, worker: Worker) -> None:
        with self._condition:
            if worker in self._replaced:
                self._replaced.discard(worker)
                outcome = "stop"
            elif not worker.alive():
                outcome = "replace"
            else:
                self._idle.append(worker)
                self._condition.notify_all()
                worn = worker.jobs >= self.max_jobs and worker not in self._retiring
                if worn:
                    self._retiring.add(worker)  # keeps serving until its replacement is warm
                outcome = "retire" if worn else "keep"
        if outcome == "stop":
            self._forget(worker)
        elif outcome == "replace":
            self._forget(worker)
            self._replace(None)
        elif outcome == "retire":
            self._replace(worker)

    def render(
        self,
        html: str,
        timeout: float,
        priority: int = INTERACTIVE,
        wait: float | None = None,
        wait_counts: bool = True,
        tag: str = "",
    ) -> bytes:
        """One PDF within `timeout` seconds from now, the wait for a worker included (unless
        not `wait_counts`: then the render alone has `timeout`).

        Raises RenderBusy when no worker is free within `wait` seconds (default: `timeout`),
        RenderTimeout when the render runs past what is left. `tag` names the asker in
        `admitted`.
        """
        started = time.monotonic()
        waited = timeout if wait is None else wait
        for attempt in (1, 2):
            worker = self._acquire(
                priority, started + (min(waited, timeout) if wait_counts else waited), tag
            )
            deadline = (started if wait_counts else time.monotonic()) + timeout
            try:
                result = worker.run(html, max(0.001, deadline - time.monotonic()))
            except WorkerLost:
                self._forget(worker)
                self._replace(None)
                if attempt == 2 or time.monotonic() >= deadline:
                    raise
                logger.warning("a render worker died; its letter goes to another one")
                continue
            except (RenderTimeout, RenderFailed, OSError):
                self._forget(worker)
                self._replace(None)
                raise
            self._release(worker)
            return result
        raise WorkerLost  # not reached: the second attempt returns or raises

    def render_many(
        self, documents: Sequence[str], timeout: float, priority: int = INTERACTIVE
    ) -> list[bytes]:
        """Many PDFs on every worker at once; the whole batch has `timeout` per round."""
        return render_all(self.render, self.size, documents, timeout, priority)

    def merge(self, pdfs: list[bytes], title: str, author: str, lang: str) -> bytes:
        """A pack's PDFs as one tagged PDF, made in this process."""
        return merge_here(pdfs, title, author, lang)

    def warm(self) -> None:
        """Start every worker now, in the background, so that no request waits for one. The
        missing workers are counted before any starts: every web worker asks at its start, and
        two asking at once once made a third render process, kept for good (73 MiB)."""
        with self._condition:
            missing = max(0, self.size - self._count)
            self._count += missing
        for _ in range(missing):
            self._start(None)

    def worker_pids(self) -> list[int]:
        """The process ids of the idle workers."""
        with self._condition:
            return [worker.pid for worker in self._idle]

    def close(self) -> None:
        """Stop every worker, busy ones included."""
        with self._condition:
            workers, self._workers = self._workers, set()
            self._idle = []
            self._count = 0
        for worker in workers:
            worker.stop()


def merge_here(pdfs: list[bytes], title: str, author: str, lang: str) -> bytes:
    """PDFs joined into one tagged PDF in this process (pikepdf, loaded with the first pack)."""
    from app.letters.pdfmerge import merge_tagged_pdfs

    return merge_tagged_pdfs(pdfs, title, author, lang)


def render_all(
    render: Callable[[str, float, int], bytes],
    size: int,
    documents: Sequence[str],
    timeout: float,
    priority: int,
) -> list[bytes]:
    """Many PDFs, `size` at once; the whole batch has `timeout` per round of `size` letters."""
    if not documents:
        return []
    deadline = time.monotonic() + timeout * math.ceil(len(documents) / size)

    def one(html: str) -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RenderTimeout
        return render(html, remaining, priority)

    with ThreadPoolExecutor(max_workers=size) as executor:
        return list(executor.map(one, documents))
