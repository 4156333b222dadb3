"""The lifecycle of a proceeding: states x events -> next state, or a refusal naming the field.

Pure functions over plain data. A proceeding's state is never stored on its own: it is what
replaying its events gives (`replay`), so the table below is the only place that says which
event may follow which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from app.deadlines.rules import EARLIEST
from app.errors import Invalid
from app.i18n import N_
from app.letters.kinds import FOLLOW_UP_KINDS, LETTER_KINDS
from app.proceedings.events import Event
from app.proceedings.refusals import check_date, check_facts, check_fields, refuse, why_refused

State = Literal[
    "generated",
    "waiting",
    "suspended",
    "answered",
    "incomplete",
    "refused",
    "reminded",
    "complaint",
    "closed",
]
STATES: tuple[State, ...] = State.__args__  # type: ignore[attr-defined]
OPEN_STATES = tuple(state for state in STATES if state != "closed")

STATE_LABELS: dict[str, str] = {
    "generated": N_("Lettre prête, pas encore envoyée"),
    "waiting": N_("En attente de réponse"),
    "suspended": N_("Délai suspendu : justificatif demandé"),
    "answered": N_("Réponse reçue"),
    "incomplete": N_("Réponse incomplète"),
    "refused": N_("Demande refusée"),
    "reminded": N_("Relance envoyée"),
    "complaint": N_("Réclamation déposée"),
    "closed": N_("Close"),
}

# Event keys: an event's kind, refined by the answer's outcome or the follow-up letter made.
EVENT_KEYS: tuple[str, ...] = (
    "sent",
    "received",
    "identity-requested",
    "identity-answered",
    "extension",
    "commission",
    "answer:complete",
    "answer:incomplete",
    "answer:refusal",
    "answer:erased",
    "reminder",
    "complaint",
    "closed",
    *(f"letter:{kind}" for kind in FOLLOW_UP_KINDS),
)

SAME = "="
_ANSWERS = {
    "answer:complete": "answered",
    "answer:incomplete": "incomplete",
    "answer:refusal": "refused",
    "answer:erased": "answered",
}
# state -> {event key: next state}; a key missing from a state's row is refused.
TABLE: dict[str, dict[str, str]] = {
    "generated": {"sent": "waiting", "closed": "closed"},
    "waiting": {
        "received": SAME,
        "identity-requested": "suspended",
        "extension": SAME,
        "commission": SAME,
        **_ANSWERS,
        "reminder": "reminded",
        "complaint": "complaint",
        "closed": "closed",
        "letter:reminder": SAME,
        "letter:complaint-file": SAME,
        "letter:cada-referral": SAME,
    },
    "suspended": {
        "received": SAME,
        "identity-answered": "waiting",
        **_ANSWERS,
        "complaint": "complaint",
        "closed": "closed",
        "letter:complaint-file": SAME,
    },
    "answered": {
        "received": SAME,
        **_ANSWERS,
        "complaint": "complaint",
        "closed": "closed",
        "letter:complaint-file": SAME,
    },
    "incomplete": {
        "received": SAME,
        **_ANSWERS,
        "reminder": "reminded",
        "complaint": "complaint",
        "closed": "closed",
        "letter:reminder": SAME,
        "letter:incomplete-answer": SAME,
        "letter:complaint-file": SAME,
    },
    "refused": {
        "received": SAME,
        **_ANSWERS,
        "complaint": "complaint",
        "closed": "closed",
        "letter:complaint-file": SAME,
        "letter:cada-referral": SAME,
    },
    "reminded": {
        "received": SAME,
        "identity-requested": "suspended",
        "extension": SAME,
        "commission": SAME,
        **_ANSWERS,
        "reminder": "reminded",
        "complaint": "complaint",
        "closed": "closed",
        "letter:reminder": SAME,
        "letter:incomplete-answer": SAME,
        "letter:complaint-file": SAME,
        "letter:cada-referral": SAME,
    },
    "complaint": {
        "received": SAME,
        **_ANSWERS,
        "complaint": "complaint",
        "closed": "closed",
        "letter:complaint-file": SAME,
        "letter:cada-referral": SAME,
    },
    "closed": {},
}


@dataclass(frozen=True)
class Facts:
    """What the events of a proceeding say, once replayed."""

    right: str
    state: State = "generated"
    events: tuple[Event, ...] = ()
    generated_on: dt.date | None = None
    sent_on: dt.date | None = None
    channel: str | None = None
    reference: str | None = None
    received_on: dt.date | None = None
    identity_requested_on: dt.date | None = None
    identity_answered_on: dt.date | None = None
    extension_on: dt.date | None = None
    # The departmental psychiatric care commission was seized (CSP L1111-7): two months.
    commission_on: dt.date | None = None
    answers: tuple[Event, ...] = ()
    reminders: tuple[Event, ...] = ()
    complaints: tuple[Event, ...] = ()
    letters: tuple[Event, ...] = ()
    closed_on: dt.date | None = None
    # The latest date among events that must keep their order (not the receipt, whose date
    # is often learnt late, nor the follow-up letters Reprise makes).
    last_on: dt.date | None = None
    # A letter Reprise made that the person has not said they sent yet.
    pending_letter: Event | None = field(default=None)

    @property
    def regime(self) -> str:
        return "medical-record" if self.right == "medical-record" else "gdpr"

    @property
    def last_answer(self) -> Event | None:
        return self.answers[-1] if self.answers else None

    @property
    def incomplete_answer(self) -> Event | None:
        """The last answer, when it was incomplete."""
        answer = self.last_answer
        return answer if answer is not None and answer.outcome == "incomplete" else None


def event_key(event: Event) -> str:
    if event.kind == "answer":
        return f"answer:{event.outcome}"
    if event.kind == "generated":
        return f"letter:{event.letter}"
    return event.kind


def _next(facts: Facts, event: Event, key: str) -> Facts:
    target = TABLE[facts.state][key]
    state: State = facts.state if target == SAME else target  # type: ignore[assignment]
    changes: dict[str, object] = {"state": state, "events": (*facts.events, event)}
    if event.kind not in {"received", "generated"}:
        changes["last_on"] = max(facts.last_on or event.date, event.date)
    kind = event.kind
    if kind == "sent":
        changes |= {"sent_on": event.date, "channel": event.channel, "reference": event.reference}
    elif kind == "received":
        changes["received_on"] = event.date
    elif kind == "identity-requested":
        changes["identity_requested_on"] = event.date
    elif kind == "identity-answered":
        changes["identity_answered_on"] = event.date
    elif kind == "extension":
        changes["extension_on"] = event.date
    elif kind == "commission":
        changes["commission_on"] = event.date
    elif kind == "answer":
        changes["answers"] = (*facts.answers, event)
    elif kind == "reminder":
        changes["reminders"] = (*facts.reminders, event)
    elif kind == "complaint":
        changes["complaints"] = (*facts.complaints, event)
    elif kind == "closed":
        changes["closed_on"] = event.date
    if kind == "generated":
        changes["letters"] = (*facts.letters, event)
        changes["pending_letter"] = event
    elif _sends(facts.pending_letter, event) or kind == "closed":
        changes["pending_letter"] = None
    return replace(facts, **changes)  # type: ignore[arg-type]


# The events that end a pending letter, by the event that records the letter going out: a
# reminder is also overtaken by an answer or a complaint, a complaint by an answer.
_ENDS_PENDING: dict[str, frozenset[str]] = {
    "sent": frozenset({"sent"}),
    "reminder": frozenset({"reminder", "answer", "complaint"}),
    "complaint": frozenset({"complaint", "answer"}),
}


def _sends(pending: Event | None, event: Event) -> bool:
    """Whether `event` says the pending letter went out (or made it pointless)."""
    if pending is None:
        return False
    sent_by = LETTER_KINDS[pending.letter].sent_event if pending.letter else "sent"
    return event.kind in _ENDS_PENDING[sent_by]


def start(right: str, letter_date: dt.date) -> Facts:
    """A new proceeding: its first letter was made on `letter_date`."""
    first = Event(kind="generated", date=letter_date, letter=right)
    return Facts(
        right=right,
        events=(first,),
        generated_on=letter_date,
        letters=(first,),
        last_on=letter_date,
        pending_letter=first,
    )


def apply(facts: Facts, event: Event, today: dt.date) -> Facts:
    """The facts once `event` is recorded; Invalid (naming the field) when it is impossible."""
    check_fields(event)
    key = event_key(event)
    if key not in TABLE[facts.state]:
        raise refuse("kind", why_refused(facts, key))
    check_facts(facts, event, key)
    check_date(facts, event, today)
    return _next(facts, event, key)


def replay(right: str, events: Iterable[Event]) -> Facts:
    """The facts of stored events (the first one is the first letter's `generated`).

    Stored events were accepted when recorded, so no date is compared with today here.
    """
    items = list(events)
    if not items or items[0].kind != "generated":
        raise ValueError("a proceeding starts with its first letter")
    facts = start(right, items[0].date)
    for event in items[1:]:
        facts = apply(facts, event, dt.date.max)
    return facts


def allowed(facts: Facts) -> list[str]:
    """The event keys a person may record next (the table's row, less what the facts forbid)."""
    keys: list[str] = []
    for key in TABLE[facts.state]:
        kind, _sep, detail = key.partition(":")
        probe = Event(
            kind="generated" if kind == "letter" else kind,
            date=max(facts.last_on or EARLIEST, facts.received_on or EARLIEST),
            channel="email" if kind in {"sent", "reminder"} else None,
            outcome=detail if kind == "answer" else None,
            letter=detail if kind == "letter" else None,
            authority="cnil" if kind == "complaint" else None,
        )
        try:
            check_facts(facts, probe, key)
        except Invalid:
            continue
        keys.append(key)
    return keys
