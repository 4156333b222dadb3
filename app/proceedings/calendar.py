"""Calendar events of proceedings: a private feed per person and an .ics file per proceeding.

A calendar provider is a third party: unless the person asks for it, no event names the
platform, the right or anything about health; it says "a deadline of a request".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from app.config import get_settings
from app.i18n import gettext as _
from app.models.base import utcnow
from app.notifications.calendar import CalendarEvent, calendar
from app.proceedings.next_steps import UNSENT_AFTER
from app.proceedings.service import ProceedingView


def events_of_view(view: ProceedingView, names: bool) -> list[CalendarEvent]:
    """The dates worth a calendar entry: the due date, the last day to seize the CADA once a
    refusal (or silence) allows it, or when to send a prepared letter."""
    link = f"{get_settings().base_url}/suivi/{view.id}"
    out: list[CalendarEvent] = []
    where = view.recipient_name
    if view.due.day is not None:
        if view.due.basis == "practical":
            summary = (
                _("Reprise : fin de l'attente après la relance (%(name)s)", name=where)
                if names
                else _("Reprise : fin de l'attente après une relance")
            )
        elif view.facts.state == "incomplete":
            summary = (
                _("Reprise : date limite de réponse de %(name)s", name=where)
                if names
                else _("Reprise : date limite d'une démarche")
            )
        else:
            summary = (
                _("Reprise : date limite de réponse de %(name)s", name=where)
                if names
                else _("Reprise : date limite d'une démarche")
            )
        if view.due.estimated:
            summary += " " + _("(estimée)")
        out.append(
            CalendarEvent(
                uid=f"echeance-{view.id}@reprise",
                day=view.due.day,
                summary=summary,
                description=_("Voir la démarche et la prochaine étape : %(link)s", link=link),
                url=link,
            )
        )
    cada = view.cada
    if cada is not None and cada.started(view.today):
        out.append(
            CalendarEvent(
                uid=f"cada-{view.id}@reprise",
                day=cada.due,
                summary=_("Reprise : dernier jour pour saisir la CADA (%(name)s)", name=where)
                if names
                else _("Reprise : dernier jour pour un recours"),
                description=_("Voir la démarche et la prochaine étape : %(link)s", link=link),
                url=link,
            )
        )
    pending = view.facts.pending_letter
    if pending is not None:
        out.append(
            CalendarEvent(
                uid=f"envoi-{view.id}@reprise",
                day=pending.date + UNSENT_AFTER,
                summary=_("Reprise : envoyer la lettre préparée pour %(name)s", name=where)
                if names
                else _("Reprise : envoyer une lettre préparée"),
                description=_("Voir la démarche et la prochaine étape : %(link)s", link=link),
                url=link,
            )
        )
    return out


def proceeding_calendar(
    views: Iterable[ProceedingView], names: bool, stamp: dt.datetime | None = None
) -> bytes:
    events = [event for view in views for event in events_of_view(view, names)]
    return calendar(events, stamp or utcnow(), _("Reprise : mes démarches"))
