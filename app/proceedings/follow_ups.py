"""A follow-up letter as it would be written now, to read before it is kept (nothing stored)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from app.letters.document import Letter
from app.letters.identity import Identity
from app.letters.kinds import FOLLOW_UP_KINDS
from app.letters.service import make_letter, parse_options
from app.models.proceeding import Proceeding
from app.proceedings.events import Event
from app.proceedings.lifecycle import apply
from app.proceedings.service import (
    ProceedingView,
    follow_up_options,
    json_ready,
    letter_identity,
)

# Every follow-up recalls the date the platform received the request.
RECALL_RECEIPT = frozenset(FOLLOW_UP_KINDS)


def missing_receipt(view: ProceedingView, kind: str) -> bool:
    """The letter would leave the receipt date blank: ask for it before writing."""
    return kind in RECALL_RECEIPT and view.facts.received_on is None


def preview_follow_up(
    db: Session, proceeding: Proceeding, view: ProceedingView, kind: str, today: dt.date
) -> Letter:
    """The follow-up `kind` written from the proceeding's data today (Invalid if impossible)."""
    apply(view.facts, Event(kind="generated", date=today, letter=kind), today)
    options = parse_options(kind, json_ready(follow_up_options(view, kind)))
    identity = Identity.model_validate(letter_identity(db, proceeding))
    return make_letter(kind, identity, view.recipient.recipient(), options, today)
