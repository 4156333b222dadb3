"""Framed messages between render processes: a status byte, a length, the payload. Spoken on
the render workers' pipes and on the render server's socket (app.letters.shared_pool)."""

from __future__ import annotations

import struct
from typing import IO

HEADER = struct.Struct(">cI")  # status, payload length


def send(stream: IO[bytes], status: bytes, payload: bytes) -> None:
    stream.write(HEADER.pack(status, len(payload)) + payload)
    stream.flush()


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def receive(stream: IO[bytes]) -> tuple[bytes, bytes]:
    """The next message; EOFError when the other side has gone."""
    status, size = HEADER.unpack(_read_exactly(stream, HEADER.size))
    return status, _read_exactly(stream, size)
