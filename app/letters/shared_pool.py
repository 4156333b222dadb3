"""One render pool per machine: `reprise serve` owns the render workers and every web worker
asks it for PDFs over a Unix socket, so that single letters go before pack letters across all
web workers, and the bounded wait counts every letter of the machine.

The render server runs in threads of the `reprise serve` process (the supervisor of the web
workers): it starts before them and lives as long as they do, and costs no extra interpreter.
It also joins a pack's PDFs into one, so that pikepdf (14 MiB) is loaded in this one process
rather than in every web worker that makes packs.
Its socket lies in a private directory (0700) named to the web workers by REPRISE_RENDER_SOCKET,
and it answers only processes of its own user. A web worker sends the document it made from its
own templates (the user's text escaped there) and gets the PDF back; the renderer fetches
nothing but the bundled fonts and styles, whoever asks. Without a render server (`uvicorn
app.main:app`, the tests), a process renders with a pool of its own, as before.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import shutil
import socket
import struct
import tempfile
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, cast

from app.heap import give_back
from app.letters.frames import receive, send
from app.letters.workers import (
    INTERACTIVE,
    RenderBusy,
    RenderFailed,
    RenderPool,
    RenderTimeout,
    default_pool_size,
    merge_here,
    render_all,
)

logger = logging.getLogger("reprise.render")

RENDER_SOCKET = "REPRISE_RENDER_SOCKET"
# A render asked: priority, seconds allowed, seconds of wait allowed (< 0: the same), whether
# the wait counts in the seconds allowed; then the HTML document.
REQUEST = struct.Struct(">Bdd?")
MARGIN = 30.0  # the client's own bound on an answer, past the server's
CONNECT_PAUSE = 0.5  # seconds before a refused connection is answered busy
PEER = struct.Struct("3i")  # SO_PEERCRED: pid, uid, gid
# A merge asked: the length of a JSON header (title, author, lang, each PDF's size), the header,
# then the PDFs one after the other.
MERGE = struct.Struct(">I")
# Asked: b"h" a render, b"m" a merge, b"s" the pool's status, b"w" warm every worker. Answers:
# b"k" the PDF, b"b" no worker in time, b"t" render past the limit, b"e" failed, b"s" the
# status (JSON), b"w" warming.


def _peer(conn: socket.socket) -> tuple[int, int]:
    """The process id and user id of the process at the other end (Linux), else (0, own uid)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return 0, os.getuid()
    pid, uid, _gid = PEER.unpack(conn.getsockopt(socket.SOL_SOCKET, option, PEER.size))
    return pid, uid


class RenderServer:
    """The machine's render pool, served on a Unix socket (one thread per request)."""

    def __init__(self, pool: RenderPool, directory: Path) -> None:
        self.pool = pool
        self.directory = directory
        self.path = directory / "render.sock"
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(self.path))
        self._listener.listen(256)
        self._listener.settimeout(0.5)  # how soon the accepting thread sees the stop
        self._threads = [
            threading.Thread(target=self._accept, name="render-server", daemon=True),
            threading.Thread(target=self._watch, name="render-watch", daemon=True),
        ]

    def start(self) -> RenderServer:
        for thread in self._threads:
            thread.start()
        return self

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _watch(self) -> None:
        """Replace killed idle workers without waiting for a render to meet them."""
        while not self._stop.wait(1.0):
            self.pool.replace_dead()

    def _answer(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rwb") as file:
            stream = cast(IO[bytes], file)
            pid, uid = _peer(conn)
            if uid != os.getuid():
                return
            try:
                kind, payload = receive(stream)
                if kind == b"s":
                    send(stream, b"s", json.dumps(self.pool.status()).encode())
                    return
                if kind == b"w":
                    self.pool.warm()
                    send(stream, b"w", b"")
                    return
                if kind == b"m":
                    send(stream, *self._merge(payload))
                    return
                status, answer = self._render(payload, str(pid))
                send(stream, status, answer)
            except (EOFError, OSError, struct.error):
                return  # the asker has gone (its own bound passed): nothing to answer

    def _render(self, payload: bytes, tag: str) -> tuple[bytes, bytes]:
        priority, timeout, wait, wait_counts = REQUEST.unpack_from(payload)
        html = payload[REQUEST.size :].decode()
        try:
            pdf = self.pool.render(
                html, timeout, priority, None if wait < 0 else wait, wait_counts, tag
            )
        except RenderBusy:
            return b"b", b""
        except RenderTimeout:
            return b"t", b""
        except RenderFailed as exc:
            return b"e", str(exc).encode()
        except Exception as exc:  # reported to the asker, which raises RenderFailed
            logger.error("render failed: %s", type(exc).__name__)
            return b"e", type(exc).__name__.encode()
        return b"k", pdf

    def _merge(self, payload: bytes) -> tuple[bytes, bytes]:
        try:
            (size,) = MERGE.unpack_from(payload)
            header = json.loads(payload[MERGE.size : MERGE.size + size])
            pdfs, offset = [], MERGE.size + size
            for length in header["sizes"]:
                pdfs.append(payload[offset : offset + length])
                offset += length
            merged = self.pool.merge(pdfs, header["title"], header["author"], header["lang"])
        except Exception as exc:  # reported to the asker, which raises RenderFailed
            logger.error("merge failed: %s", type(exc).__name__)
            return b"e", type(exc).__name__.encode()
        finally:
            give_back()  # the pages the merge used: this process lives as long as the service
        return b"k", merged

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        for thread in self._threads:
            thread.join(5)
        self.pool.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def start_render_server(size: int) -> RenderServer:
    """The machine's pool of `size` workers, served in a fresh private directory. The workers
    start when the first web worker is up (RemotePool.warm): not to slow down its start."""
    directory = Path(tempfile.mkdtemp(prefix="reprise-render-"))  # mode 0700
    try:
        server = RenderServer(RenderPool(size), directory).start()
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    logger.info("render pool: %d workers for every web worker at %s", size, server.path)
    return server


class RemotePool:
    """The render server's pool, seen from a web worker: the same calls as RenderPool."""

    def __init__(self, path: str, size: int) -> None:
        self.path = path
        self.size = max(1, size)

    def _ask(self, kind: bytes, payload: bytes, bound: float) -> tuple[bytes, bytes]:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(bound)
            try:
                sock.connect(self.path)
            except OSError as exc:
                # The server is stopping or swamped: busy, after a pause so that a pack job
                # trying again (background_pdf) does not spin.
                time.sleep(CONNECT_PAUSE)
                raise RenderBusy from exc
            with sock.makefile("rwb") as file:
                stream = cast(IO[bytes], file)
                try:
                    send(stream, kind, payload)
                    return receive(stream)
                except (EOFError, OSError) as exc:
                    raise RenderFailed("the render server did not answer") from exc

    def render(
        self,
        html: str,
        timeout: float,
        priority: int = INTERACTIVE,
        wait: float | None = None,
        wait_counts: bool = True,
        tag: str = "",
    ) -> bytes:
        """As RenderPool.render, by the machine's pool (`tag` is the asking process's id)."""
        request = REQUEST.pack(priority, timeout, -1.0 if wait is None else wait, wait_counts)
        bound = timeout + (timeout if wait is None else wait) + MARGIN
        status, answer = self._ask(b"h", request + html.encode(), bound)
        if status == b"k":
            return answer
        if status == b"b":
            raise RenderBusy
        if status == b"t":
            raise RenderTimeout
        raise RenderFailed(answer.decode(errors="replace"))

    def render_many(
        self, documents: Sequence[str], timeout: float, priority: int = INTERACTIVE
    ) -> list[bytes]:
        return render_all(self.render, self.size, documents, timeout, priority)

    def merge(self, pdfs: list[bytes], title: str, author: str, lang: str) -> bytes:
        """As RenderPool.merge, by the render server (here when it cannot be reached: the
        letters are made, the pack should not fail for want of a connection)."""
        header = json.dumps(
            {"title": title, "author": author, "lang": lang, "sizes": [len(pdf) for pdf in pdfs]}
        ).encode()
        try:
            status, answer = self._ask(
                b"m", MERGE.pack(len(header)) + header + b"".join(pdfs), MARGIN
            )
        except RenderBusy:
            return merge_here(pdfs, title, author, lang)
        if status != b"k":
            raise RenderFailed(answer.decode(errors="replace"))
        return answer

    def status(self) -> dict[str, Any]:
        """The machine's pool: see RenderPool.status."""
        _kind, answer = self._ask(b"s", b"", MARGIN)
        result: dict[str, Any] = json.loads(answer)
        return result

    def warm(self) -> None:
        """Have every worker of the machine's pool started (the first web worker up asks)."""
        with contextlib.suppress(RenderBusy, RenderFailed):
            self._ask(b"w", b"", MARGIN)

    def close(self) -> None:
        """Nothing to stop: the workers are the render server's."""


@lru_cache(maxsize=1)
def get_render_pool() -> RenderPool | RemotePool:
    """The machine's pool when `reprise serve` runs a render server, else one of this process:
    REPRISE_RENDER_WORKERS workers (default: one per core, at most 4)."""
    from app.config import get_settings

    settings = get_settings()
    size = settings.render_workers or default_pool_size(os.cpu_count())
    if settings.render_socket and Path(settings.render_socket).exists():
        return RemotePool(settings.render_socket, size)
    pool = RenderPool(size)
    atexit.register(pool.close)
    return pool
