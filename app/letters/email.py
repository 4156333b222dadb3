"""A letter as an email: a ready-to-send .eml message and a mailto: link."""

from __future__ import annotations

import re
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid
from urllib.parse import quote

from app import clock
from app.letters.document import Letter
from app.letters.render import letter_body_text

# Beyond about 2,000 characters some mail programs (Outlook among them) cut the link, and the
# letter would go out truncated: a longer letter gets a link with its subject only.
MAILTO_MAX = 2000
# "Objet : " as French typography writes it (a no-break space before the colon), or "Subject:".
SUBJECT_PREFIX = re.compile(r"^(?:Objet|Subject)\s*:\s*")


def email_subject(letter: Letter) -> str:
    subject = SUBJECT_PREFIX.sub("", letter.subject, count=1)
    return subject[:1].upper() + subject[1:]


def letter_eml(letter: Letter, sender_email: str | None, now: datetime | None = None) -> bytes:
    """An RFC 5322 message, UTF-8, that a mail program opens ready to send."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = email_subject(letter)
    if sender_email:
        message["From"] = formataddr((letter.signature_name, sender_email))
    if letter.recipient.email:
        message["To"] = formataddr((letter.recipient.name, letter.recipient.email))
    message["Date"] = format_datetime(now or clock.now())
    message["Message-ID"] = make_msgid(domain="reprise.invalid")
    message["X-Unsent"] = "1"  # Opens as a draft in Outlook and Thunderbird.
    message.set_content(letter_body_text(letter), charset="utf-8")
    return message.as_bytes()


def mailto_link(letter: Letter) -> str | None:
    """A mailto: link with subject and body (subject only when the link would be too long:
    see `mailto_has_body`)."""
    if not letter.recipient.email:
        return None
    address = f"mailto:{quote(letter.recipient.email, safe='@')}"
    subject = f"?subject={quote(email_subject(letter))}"
    link = f"{address}{subject}&body={quote(letter_body_text(letter))}"
    return link if len(link) <= MAILTO_MAX else address + subject


def mailto_has_body(link: str | None) -> bool:
    return link is not None and "&body=" in link
