"""Render pools, settings changed for a block, and documents that try to reach the network or
the disk (security.md item 13)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.letters.workers import RenderPool

GOOD_HTML = "<!doctype html><html lang='fr'><body><p>Bonjour</p></body></html>"


@pytest.fixture
def pool() -> Iterator[RenderPool]:
    render_pool = RenderPool(1)
    yield render_pool
    render_pool.close()


@contextmanager
def setting(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> Iterator[None]:
    """One REPRISE_ setting changed for the block (the settings are read again on both sides)."""
    from app.config import get_settings

    monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        yield
    finally:
        monkeypatch.delenv(name)
        get_settings.cache_clear()


class Listener:
    """A TCP server that records whether anyone connected."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def hostile_documents(port: int, secret: Path) -> list[str]:
    base = f"http://127.0.0.1:{port}"
    return [
        f'<img src="{base}/img.png">',
        f'<link rel="stylesheet" href="{base}/style.css">',
        f"<style>@import url('{base}/import.css');</style>",
        f"<style>body {{ background: url('{base}/bg.png') }}</style>",
        f"<style>@font-face {{ font-family: x; src: url('{base}/f.woff2') }}</style>",
        f'<img src="{secret.as_uri()}">',
        f'<link rel="attachment" href="{secret.as_uri()}">',
        f'<a rel="attachment" href="{secret.as_uri()}">file</a>',
        f'<link rel="attachment" href="{base}/attach.txt">',
        '<img src="file:///etc/passwd">',
        '<iframe src="file:///etc/passwd"></iframe>',
        f'<object data="{base}/obj"></object>',
        '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
        f'<svg><image href="{base}/svg.png"/></svg>',
    ]
