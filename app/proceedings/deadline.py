"""The due date of a proceeding, from its events, through the deadline rules (app.deadlines).

What is the law and what is Reprise's own practical choice are kept apart:
- legal: the receipt date starts the period; the rules add the month (three with an extension
  announced in time), suspend it while an identity proof is awaited, or count the 8 days / 2
  months of a medical record (2 months too once the psychiatric care commission is seized),
  and move a period ending on a day off;
- estimate (practical): until the acknowledgement of receipt is known, the receipt is estimated
  from the sending: the same day by email or web form, three working days by post. That is a
  prudent assumption of Reprise, not a rule of law; it can only make a due date later;
- after a reminder (practical): Reprise waits 15 days, the time the reminder letters announce,
  before suggesting a complaint. No text sets this period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from app.deadlines.cada import CadaReferral, cada_referral_deadline
from app.deadlines.periods import REMINDER_DAYS
from app.deadlines.receipt import POST_WORKING_DAYS, add_working_days, estimated_receipt
from app.deadlines.rules import Deadline, DeadlineQuery, compute_deadline
from app.proceedings.lifecycle import Facts

__all__ = ["POST_WORKING_DAYS", "add_working_days"]

WAIT_AFTER_REMINDER = dt.timedelta(days=REMINDER_DAYS)
# Events after which the platform had the request in hand.
_IMPLIES_RECEIPT = frozenset({"identity-requested", "extension", "commission", "answer"})


@dataclass(frozen=True)
class Receipt:
    """When the platform received the request: known, or estimated from the sending."""

    day: dt.date
    estimated: bool
    sent_on: dt.date
    channel: str | None
    # The platform's act (an event kind) that showed it had the request before the estimate.
    acted: str | None = None


@dataclass(frozen=True)
class Due:
    """The due date a page shows, and where it comes from."""

    day: dt.date | None
    basis: Literal["legal", "practical", "none"]
    deadline: Deadline | None = None
    receipt: Receipt | None = None
    reminder_on: dt.date | None = None  # for a practical due date: the reminder's date

    @property
    def estimated(self) -> bool:
        return self.receipt is not None and self.receipt.estimated and self.basis == "legal"


def receipt_of(facts: Facts, alsace_moselle: bool = False) -> Receipt | None:
    """The receipt date, or its estimate from the sending (None before sending)."""
    if facts.sent_on is None:
        return None
    if facts.received_on is not None:
        return Receipt(facts.received_on, False, facts.sent_on, facts.channel)
    # The platform had the request by the time it acted on it.
    acts = [e for e in facts.events if e.kind in _IMPLIES_RECEIPT]
    estimate = estimated_receipt(facts.sent_on, facts.channel, alsace_moselle)
    first = min(acts, key=lambda e: e.date, default=None)
    if first is not None and first.date < estimate:
        bounded = max(facts.sent_on, first.date)
        return Receipt(bounded, True, facts.sent_on, facts.channel, first.kind)
    return Receipt(estimate, True, facts.sent_on, facts.channel)


def deadline_query(
    facts: Facts,
    receipt: dt.date,
    *,
    extended: bool,
    alsace_moselle: bool = False,
    older_than_5_years: bool = False,
) -> DeadlineQuery:
    if facts.regime == "medical-record":
        return DeadlineQuery(
            regime="medical-record",
            received=receipt,
            older_than_5_years=older_than_5_years,
            psychiatric_commission=facts.commission_on is not None,
            alsace_moselle=alsace_moselle,
        )
    return DeadlineQuery(
        regime="gdpr",
        received=receipt,
        extended=extended,
        alsace_moselle=alsace_moselle,
        identity_requested=facts.identity_requested_on,
        identity_answered=facts.identity_answered_on,
    )


def legal_deadline(
    facts: Facts,
    receipt: Receipt,
    *,
    alsace_moselle: bool = False,
    older_than_5_years: bool = False,
) -> Deadline:
    """The rules' deadline for these events; an extension counts only if announced in time."""
    options = {"alsace_moselle": alsace_moselle, "older_than_5_years": older_than_5_years}
    base = compute_deadline(deadline_query(facts, receipt.day, extended=False, **options))
    if facts.regime != "gdpr" or facts.extension_on is None:
        return base
    # GDPR art. 12(3): the extension must be announced within the first month.
    if base.due is not None and facts.extension_on > base.due:
        return base
    return compute_deadline(deadline_query(facts, receipt.day, extended=True, **options))


def extension_too_late(facts: Facts, due: Due) -> bool:
    """An extension was announced after the first month: it does not count."""
    return (
        facts.extension_on is not None
        and due.deadline is not None
        and not due.deadline.extended
        and facts.regime == "gdpr"
    )


def due_of(facts: Facts, *, alsace_moselle: bool = False, older_than_5_years: bool = False) -> Due:
    """The due date a proceeding shows in its present state."""
    receipt = receipt_of(facts, alsace_moselle)
    if receipt is None:
        return Due(None, "none")
    deadline = legal_deadline(
        facts, receipt, alsace_moselle=alsace_moselle, older_than_5_years=older_than_5_years
    )
    if facts.state in {"waiting", "suspended", "incomplete"}:
        return Due(deadline.due, "legal", deadline, receipt)
    if facts.state == "reminded":
        reminded = facts.reminders[-1].date
        practical = reminded + WAIT_AFTER_REMINDER
        if deadline.due is not None and deadline.due >= practical:
            return Due(deadline.due, "legal", deadline, receipt)
        return Due(practical, "practical", deadline, receipt, reminded)
    return Due(None, "none", deadline, receipt)


def days_left(due: Due, today: dt.date) -> int | None:
    """Days until the due date (0 on the day, negative once it has passed)."""
    return None if due.day is None else (due.day - today).days


# States in which a refusal, or the establishment's silence, can be taken to the CADA.
_CADA_STATES = frozenset({"waiting", "reminded", "refused", "complaint"})


def cada_of(facts: Facts, *, hospital: bool) -> CadaReferral | None:
    """The CADA referral period of a medical-record request to an establishment that may be
    public (`hospital`), refused or left unanswered; None otherwise, or once the CADA is seized.

    Without a known receipt, the period counts from the sending (the earliest possible receipt:
    the patient must not act too late).
    """
    if facts.right != "medical-record" or not hospital or facts.sent_on is None:
        return None
    if facts.state not in _CADA_STATES:
        return None
    if any(complaint.authority == "cada" for complaint in facts.complaints):
        return None
    last = facts.last_answer
    if last is not None and last.outcome != "refusal":
        return None
    return cada_referral_deadline(
        facts.received_on or facts.sent_on,
        last.date if last is not None else None,
        estimated=facts.received_on is None,
    )
