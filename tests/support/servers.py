"""Servers the tests talk to: an SMTP inbox (aiosmtpd) and free local ports."""

from __future__ import annotations

import email
import socket
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.received: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def run_server(inbox: Inbox, **kwargs: Any) -> Controller:
    controller = Controller(inbox, hostname="localhost", port=free_port(), **kwargs)
    controller.start()
    return controller
