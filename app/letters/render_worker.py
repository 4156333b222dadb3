"""A render worker process (python -m app.letters.render_worker): one warm WeasyPrint renderer
answering HTML with PDF bytes over its standard input and output, until its input ends.
app.letters.workers starts these processes and hands them the renders."""

from __future__ import annotations

import os
import sys
from typing import IO

from app.letters.frames import receive, send

WARM_UP_HTML = "<!doctype html><html lang='fr'><body><p class='letter'>Reprise</p></body></html>"
# Renders yield the cores to the web workers: pages and /healthz stay quick while packs are made.
NICENESS = 10

# Pipe messages: b"h" HTML asked; b"r" ready, b"k" PDF, b"e" error answered.


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """A worker's loop: warm up, say it is ready (b"r" and its pid), then answer each HTML with
    its PDF (b"k") or the name of the error (b"e")."""
    from app.heap import settle
    from app.letters.pdf import PdfRenderer

    os.nice(NICENESS)
    renderer = PdfRenderer()
    renderer.render(WARM_UP_HTML)
    settle()  # WeasyPrint's fonts and styles, out of the collector's full passes
    send(answers, b"r", str(os.getpid()).encode())
    while True:
        try:
            _status, html = receive(requests)
        except EOFError:
            return
        try:
            send(answers, b"k", renderer.render(html.decode()))
        except Exception as exc:  # Reported to the parent, which raises RenderFailed.
            send(answers, b"e", type(exc).__name__.encode())


if __name__ == "__main__":
    # Answers go to the real stdout; anything else printed goes to stderr.
    stdout = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, stdout)
