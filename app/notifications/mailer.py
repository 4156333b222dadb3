"""The SMTP mailer built from REPRISE_SMTP_URL, or an outbox folder when it is empty.

`smtp://user:password@host:587` speaks STARTTLS whenever the server offers it;
`smtps://host:465` uses TLS from the first byte. Credentials are percent-decoded.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from app import clock
from app.admission import step_aside
from app.config import Settings, get_settings

logger = logging.getLogger("reprise.mail")
TIMEOUT_SECONDS = 15


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class MailError(RuntimeError):
    """The message could not be handed to the mail server."""


@dataclass
class SmtpMailer:
    host: str
    port: int
    implicit_tls: bool
    username: str | None = None
    password: str | None = None
    context: ssl.SSLContext | None = None

    @classmethod
    def from_url(cls, url: str, context: ssl.SSLContext | None = None) -> SmtpMailer:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError("REPRISE_SMTP_URL must read smtp://host:port or smtps://host:port")
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit else 587),
            implicit_tls=implicit,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            context=context,
        )

    def send(self, message: EmailMessage) -> None:
        step_aside()  # the mail server may be slow: the pages behind this request do not wait
        context = self.context or ssl.create_default_context()
        try:
            if self.implicit_tls:
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=TIMEOUT_SECONDS, context=context
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
            with client:
                client.ehlo()
                if not self.implicit_tls and client.has_extn("starttls"):
                    client.starttls(context=context)
                    client.ehlo()
                if self.username:
                    client.login(self.username, self.password or "")
                client.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            # The server's reply may quote the recipient: log the failure's type only.
            logger.error("email not sent: %s", type(exc).__name__)
            raise MailError(type(exc).__name__) from exc


@dataclass
class OutboxMailer:
    """Development: every message becomes a file in var/outbox/, to open with a mail reader."""

    folder: Path

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = clock.now().strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        # Written under another name, then renamed: a reader never sees half a message.
        partial = path.with_suffix(".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(bytes(message))
        os.replace(partial, path)


_override: Mailer | None = None


def get_mailer(settings: Settings | None = None) -> Mailer:
    """The mailer the settings ask for (tests may install another with `use_mailer`)."""
    if _override is not None:
        return _override
    settings = settings or get_settings()
    if settings.smtp_url:
        return SmtpMailer.from_url(settings.smtp_url)
    if settings.production:
        logger.warning("REPRISE_SMTP_URL is empty: emails are written to the outbox folder")
    return OutboxMailer(settings.var_dir / "outbox")


def use_mailer(mailer: Mailer | None) -> None:
    """Send through `mailer` from now on (None: back to the settings)."""
    global _override  # noqa: PLW0603
    _override = mailer


def build_message(
    to: str, subject: str, body: str, settings: Settings | None = None
) -> EmailMessage:
    settings = settings or get_settings()
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain="reprise.invalid")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message
