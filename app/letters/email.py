"""A letter as an email: a ready-to-send .eml message and a mailto: link."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid
from urllib.parse import quote

from app.letters.document import Letter
from app.letters.render import letter_body_text

MAILTO_MAX = 1800  # Beyond about 2,000 characters some mail programs cut the link.


def email_subject(letter: Letter) -> str:
    subject = letter.subject
    for prefix in ("Objet : ", "Subject: "):
        subject = subject.removeprefix(prefix)
    return subject[:1].upper() + subject[1:]


def letter_eml(letter: Letter, sender_email: str | None, now: datetime | None = None) -> bytes:
    """An RFC 5322 message, UTF-8, that a mail program opens ready to send."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = email_subject(letter)
    if sender_email:
        message["From"] = formataddr((letter.signature_name, sender_email))
    if letter.recipient.email:
        message["To"] = formataddr((letter.recipient.name, letter.recipient.email))
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain="reprise.invalid")
    message["X-Unsent"] = "1"  # Opens as a draft in Outlook and Thunderbird.
    message.set_content(letter_body_text(letter), charset="utf-8")
    return message.as_bytes()


def mailto_link(letter: Letter) -> str | None:
    """A mailto: link with subject and body (subject only when the body would be too long)."""
    if not letter.recipient.email:
        return None
    address = f"mailto:{quote(letter.recipient.email, safe='@')}"
    subject = f"?subject={quote(email_subject(letter))}"
    link = f"{address}{subject}&body={quote(letter_body_text(letter))}"
    return link if len(link) <= MAILTO_MAX * 3 else address + subject
