"""A proceeding as pages, the API, the command line and reminders read it: its recipient,
right and options unsealed, its events replayed into facts, its due date and next step."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from app.deadlines.cada import CadaReferral
from app.letters.addressees import Addressee, addressee_of
from app.models.proceeding import Proceeding
from app.observatory.facts import Course
from app.proceedings.deadline import Due, cada_of, days_left, due_of
from app.proceedings.events import Event
from app.proceedings.lifecycle import Facts, replay
from app.proceedings.next_steps import NextStep, next_step
from app.security.fields import unseal


@dataclass(frozen=True)
class ProceedingView:
    """A proceeding as pages, the API and reminders see it."""

    proceeding: Proceeding
    recipient: Addressee
    right: str
    options: dict[str, Any]
    facts: Facts
    due: Due
    step: NextStep
    today: dt.date
    alsace_moselle: bool
    hospital: bool
    # For a medical record an establishment that may be public refused or left unanswered.
    cada: CadaReferral | None = None

    @property
    def id(self) -> uuid.UUID:
        return self.proceeding.id

    @property
    def platform(self) -> str | None:
        """The catalogue platform's slug; None for an organisation."""
        return self.recipient.platform

    @property
    def organisation(self) -> dict[str, Any] | None:
        return self.recipient.organisation

    @property
    def recipient_name(self) -> str:
        return self.recipient.name

    @property
    def days_left(self) -> int | None:
        return days_left(self.due, self.today)

    @property
    def overdue(self) -> bool:
        left = self.days_left
        return left is not None and left < 0

    def course(self) -> Course:
        """What the observatory's summary row is made of (app.observatory.facts)."""
        answers, deadline = self.facts.answers, self.due.deadline
        return Course(
            right=self.right,
            recipient_key=self.recipient.key,
            organisation=self.recipient.organisation,
            received_on=self.due.receipt.day if self.due.receipt is not None else None,
            due_on=deadline.due if deadline is not None else None,
            answered_on=answers[0].date if answers else None,
            incomplete_on=_first(answers, "incomplete"),
            refused_on=_first(answers, "refusal"),
            reminded_on=self.facts.reminders[0].date if self.facts.reminders else None,
            complaint_on=self.facts.complaints[0].date if self.facts.complaints else None,
        )


def _first(answers: tuple[Any, ...], outcome: str) -> dt.date | None:
    for answer in answers:
        if getattr(answer, "outcome", None) == outcome:
            day: dt.date = answer.date
            return day
    return None


def content_of(proceeding: Proceeding) -> dict[str, Any]:
    data = unseal(proceeding, "content_sealed", {}) or {}
    return data if isinstance(data, dict) else {}


def events_of(proceeding: Proceeding) -> list[Event]:
    return [Event.model_validate(item) for item in unseal(proceeding, "events_sealed", []) or []]


def view_of(
    proceeding: Proceeding, today: dt.date, events: list[Event] | None = None
) -> ProceedingView:
    content = content_of(proceeding)
    right = str(content.get("right", "access"))
    options = dict(content.get("options") or {})
    facts = replay(right, events if events is not None else events_of(proceeding))
    recipient = addressee_of(content)
    alsace, hospital = recipient.alsace_moselle, recipient.may_be_public
    due = due_of(
        facts,
        alsace_moselle=alsace,
        older_than_5_years=bool(options.get("older_than_5_years")),
    )
    return ProceedingView(
        proceeding=proceeding,
        recipient=recipient,
        right=right,
        options=options,
        facts=facts,
        due=due,
        step=next_step(facts, due, today, hospital=hospital),
        today=today,
        alsace_moselle=alsace,
        hospital=hospital,
        cada=cada_of(facts, hospital=hospital),
    )
