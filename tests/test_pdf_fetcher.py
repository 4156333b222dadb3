"""WeasyPrint loads Reprise's bundled assets and nothing else (security.md item 13)."""

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.letters.pdf import PdfRenderer


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


def test_no_hostile_reference_is_fetched_or_embedded(listener: Listener, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY")
    renderer = PdfRenderer()
    for snippet in hostile_documents(listener.port, secret):
        html = f"<!doctype html><html lang='fr'><body><p>Texte</p>{snippet}</body></html>"
        data = renderer.render(html)
        path = tmp_path / "out.pdf"
        path.write_bytes(data)
        reader = PdfReader(path)
        assert not reader.attachments, snippet
        assert b"TOP-SECRET-CANARY" not in data, snippet
        assert b"EmbeddedFile" not in data, snippet
    assert listener.connections == 0


def test_the_bundled_fonts_are_used(tmp_path: Path) -> None:
    data = PdfRenderer().render(
        "<!doctype html><html lang='fr'><body><p class='letter'>Écrit à Paris</p></body></html>"
    )
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(path).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts
    # the letters' bundled DejaVu Sans (renamed so that no system font can stand in for it)
    assert all("DejaVu-Sans-Reprise" in font for font in fonts), fonts
