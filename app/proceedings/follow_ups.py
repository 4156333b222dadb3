"""Follow-up letters (reminder, incomplete answer, complaint file, CADA referral): written
from what the proceeding already knows, to read before it is kept, then kept and noted in its
timeline."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlmodel import Session

from app.errors import Invalid, NotFound
from app.i18n import gettext as _
from app.letters.document import Letter
from app.letters.identity import Identity
from app.letters.kinds import FOLLOW_UP_KINDS
from app.letters.service import make_letter, parse_options
from app.models.organisation import PatientFile, StoredLetter
from app.models.proceeding import Proceeding
from app.patients.files import identity_of, letter_content, store_letter
from app.proceedings.events import Event
from app.proceedings.lifecycle import Facts, apply
from app.proceedings.next_steps import follow_up_refusal
from app.proceedings.service import letters_of_proceeding, lock, record
from app.proceedings.views import ProceedingView, view_of

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


def letter_identity(db: Session, proceeding: Proceeding) -> dict[str, Any]:
    """Who signs the follow-ups: the file's identity, else the one on the first letter."""
    file = db.get(PatientFile, proceeding.file_id)
    identity = identity_of(file) if file else {}
    try:
        Identity.model_validate(identity)
        return identity
    except ValueError:
        pass
    for letter in letters_of_proceeding(db, proceeding):
        candidate = letter_content(letter).get("identity") or {}
        try:
            Identity.model_validate(candidate)
            return dict(candidate)
        except ValueError:
            continue
    raise Invalid({"identity": _("Complétez d'abord l'identité : nom, prénom et adresse postale.")})


def follow_up_options(view: ProceedingView, kind: str) -> dict[str, Any]:
    """A follow-up's options, from what the proceeding already knows (nothing typed twice).

    Letters are written in the name of the person whose file it is, also when a helper
    prepares them: they sign it, so the complaint file does not say "on behalf of".
    """
    facts = view.facts
    common: dict[str, Any] = {
        "request_kind": view.right,
        "request_date": facts.sent_on,
        "received": facts.received_on,
        "channel": facts.channel,
        "reference": facts.reference,
    }
    extended = view.due.deadline.extended if view.due.deadline else False
    timed = {
        "extended": extended,
        "older_than_5_years": bool(view.options.get("older_than_5_years")),
        "identity_requested": facts.identity_requested_on,
        "identity_answered": facts.identity_answered_on,
    }
    if facts.regime != "gdpr":
        timed = {"older_than_5_years": timed["older_than_5_years"]}
    if kind == "reminder":
        return {**common, **timed}
    if kind == "incomplete-answer":
        answer = facts.incomplete_answer
        return {
            **common,
            "answer_date": answer.date if answer else None,
            "missing": list(answer.missing) if answer else [],
        }
    if kind == "complaint-file":
        answer = facts.last_answer
        outcome = {"refusal": "refused", "incomplete": "incomplete", None: "no-answer"}.get(
            answer.outcome if answer else None, "wrong"
        )
        return {
            **common,
            **timed,
            "outcome": outcome,
            "reminder_date": facts.reminders[-1].date if facts.reminders else None,
            "answer_date": answer.date if answer else None,
            "chronology": _chronology(facts),
        }
    if kind == "cada-referral":
        refusal = next((a for a in reversed(facts.answers) if a.outcome == "refusal"), None)
        return {
            "request_date": facts.sent_on,
            "received": facts.received_on,
            "refusal_date": refusal.date if refusal else None,
        }
    raise Invalid({"kind": _("Ce type de lettre n'existe pas.")})


def _chronology(facts: Facts) -> list[dict[str, Any]]:
    steps = [
        e
        for e in facts.events
        if e.kind
        in {
            "sent",
            "received",
            "identity-requested",
            "identity-answered",
            "extension",
            "answer",
            "reminder",
        }
    ]
    steps.sort(key=lambda e: e.date)
    return [
        {
            "date": e.date,
            "event": e.kind,
            "channel": e.channel,
            "reference": e.reference,
            "outcome": e.outcome,
        }
        for e in steps
    ]


def make_follow_up(
    db: Session,
    proceeding: Proceeding,
    kind: str,
    author: uuid.UUID | None,
    today: dt.date,
) -> StoredLetter:
    """Write a follow-up letter from the proceeding's data and note it in the timeline."""
    if kind not in FOLLOW_UP_KINDS:
        raise Invalid({"kind": _("Ce type de lettre n'existe pas.")})
    lock(db, proceeding)
    current = view_of(proceeding, today)
    event = Event(kind="generated", date=today, letter=kind)
    apply(current.facts, event, today)
    refusal = follow_up_refusal(current.facts, current.due, today, kind, hospital=current.hospital)
    if refusal is not None:
        raise Invalid({"kind": refusal})
    file = db.get(PatientFile, proceeding.file_id)
    if file is None:
        raise NotFound()
    options = follow_up_options(current, kind)
    letter = store_letter(
        db,
        file,
        kind,
        current.recipient,
        letter_identity(db, proceeding),
        json_ready(options),
        author,
        today,
    )
    letter.proceeding_id = proceeding.id
    db.add(letter)
    record(db, proceeding, event, today)
    return letter


def json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
