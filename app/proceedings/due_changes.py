"""When an event moves the due date, say so: from which date to which, and why."""

from __future__ import annotations

import datetime as dt

from app.i18n import N_, long_date
from app.i18n import gettext as _
from app.proceedings.deadline import Due, due_of
from app.proceedings.events import Event
from app.proceedings.lifecycle import replay
from app.proceedings.service import ProceedingView

# What the platform did, as the reason a receipt estimate moved to that day.
ACTS: dict[str, str] = {
    "answer": N_("l'organisme a répondu le %(day)s"),
    "identity-requested": N_("l'organisme vous a demandé un justificatif d'identité le %(day)s"),
    "extension": N_("l'organisme a annoncé une prolongation le %(day)s"),
    "commission": N_(
        "la commission départementale des soins psychiatriques a été saisie le %(day)s"
    ),
}


def act_sentence(kind: str, day: dt.date) -> str:
    """What the platform did on `day` (an event kind of ACTS), as a clause."""
    return _(ACTS.get(kind, N_("l'organisme a agi le %(day)s")), day=long_date(day))


def upper_first(text: str) -> str:
    """The text with its first letter in capitals (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def _reason(before: Due, after: Due, event: Event) -> str:
    day = long_date(event.date)
    if event.kind == "received":
        return _(
            "la date de réception que vous avez indiquée, le %(day)s, remplace l'estimation",
            day=day,
        )
    if before.receipt and after.receipt and before.receipt.day != after.receipt.day:
        return _(
            "%(act)s : il avait donc reçu votre demande au plus tard ce jour-là",
            act=act_sentence(event.kind, event.date),
        )
    if event.kind in ACTS:
        return act_sentence(event.kind, event.date)
    if event.kind == "identity-answered":
        return _("le délai a été suspendu le temps de votre justificatif d'identité")
    if event.kind == "reminder":
        return _("après votre relance du %(day)s, Reprise propose d'attendre quinze jours", day=day)
    return _("vous avez indiqué un événement le %(day)s", day=day)


def due_changes(view: ProceedingView) -> dict[int, str]:
    """For each event (by its index) that moved the due date: the sentence that says so."""
    events = list(view.facts.events)
    options = {
        "alsace_moselle": view.alsace_moselle,
        "older_than_5_years": bool(view.options.get("older_than_5_years")),
    }
    changes: dict[int, str] = {}
    before = due_of(replay(view.right, events[:1]), **options)
    for index in range(1, len(events)):
        after = due_of(replay(view.right, events[: index + 1]), **options)
        event = events[index]
        if (
            event.kind != "generated"
            and before.day is not None
            and after.day is not None
            and before.day != after.day
        ):
            changes[index] = _(
                "La date limite passe du %(before)s au %(after)s, parce que %(reason)s.",
                before=long_date(before.day),
                after=long_date(after.day),
                reason=_reason(before, after, event),
            )
        before = after
    return changes


def last_due_change(view: ProceedingView) -> str | None:
    """The sentence for the latest event that moved the due date, if it is the due date now."""
    changes = due_changes(view)
    if not changes:
        return None
    return changes[max(changes)]
