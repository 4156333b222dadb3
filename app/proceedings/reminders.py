"""Reminder emails, planned from the proceedings and sent exactly once by the job runner.

Each reminder is a job keyed (kind, "proceeding:moment:date", date): planning it twice inserts
nothing. The runner leases the job (committed), then `send_reminder` runs inside the job's
transaction: it sends the email with a Message-ID made from the job's key, and the runner marks
the job done in the same transaction as the proceeding's next reminder.

What stays open: if a runner is killed after the mail server accepted the message and before
that transaction commits, the job's lease runs out and another runner sends it again, with the
same Message-ID (mail systems that deduplicate by Message-ID show it once). SMTP has no way to
make "accepted" and "committed" one step; that window lasts from the server's final reply to
the commit, a few milliseconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from email.message import EmailMessage

from sqlmodel import Session, col, select

from app.clock import PARIS
from app.config import get_settings
from app.i18n import gettext as _
from app.i18n import long_date, use_locale
from app.jobs.runner import JobKind, Planned, register_kind
from app.models.account import User
from app.models.organisation import PatientFile
from app.models.proceeding import Proceeding
from app.notifications.mailer import build_message, get_mailer
from app.organisations.access import Actor, actor_for, cover_for
from app.proceedings.next_steps import EMAIL_STEP_LABELS, reminder_moments
from app.proceedings.preferences import preferences_of
from app.proceedings.service import (
    REMINDER_KIND,
    ProceedingView,
    plan_next_reminder,
    reminder_subject,
    view_of,
)

SEND_HOUR = 8  # reminders leave at 8:00, Paris time


def paris_day(now: dt.datetime) -> dt.date:
    return now.astimezone(PARIS).date()


def send_time(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(SEND_HOUR), tzinfo=PARIS).astimezone(dt.UTC)


def due_reminders(db: Session, today: dt.date) -> list[tuple[uuid.UUID, str, dt.date]]:
    """The reminder scan: open proceedings whose next reminder is due (index on the date)."""
    rows = db.exec(
        select(
            col(Proceeding.id), col(Proceeding.next_reminder), col(Proceeding.next_reminder_on)
        ).where(
            col(Proceeding.next_reminder_on) <= today,
            col(Proceeding.status) != "closed",
        )
    ).all()
    return [(row[0], str(row[1]), row[2]) for row in rows if row[1] and row[2]]


def _plan(db: Session, now: dt.datetime) -> Iterable[Planned]:
    return [
        Planned(reminder_subject(pid, moment, day), day.isoformat(), send_time(day))
        for pid, moment, day in due_reminders(db, paris_day(now))
    ]


def recipient(db: Session, proceeding: Proceeding, today: dt.date) -> User | None:
    """Who is reminded: the file's owner; for a member without an account, the helper who
    follows the request while their mandate covers it."""
    from app.proceedings.access import covers

    file = db.get(PatientFile, proceeding.file_id)
    if file is None:
        return None
    if file.user_id is not None:
        return db.get(User, file.user_id)
    if proceeding.created_by is None:
        return None
    helper = db.get(User, proceeding.created_by)
    if helper is None:
        return None
    actor: Actor = actor_for(db, helper)
    cover = cover_for(db, actor, file, today)
    return helper if cover is not None and covers(cover, proceeding) else None


def message_id(subject: str, due: str) -> str:
    """The same Message-ID for every attempt at one reminder (a resend is recognisable)."""
    digest = hashlib.sha256(f"{REMINDER_KIND}|{subject}|{due}".encode()).hexdigest()[:40]
    return f"<rappel.{digest}@reprise.invalid>"


def _texts(moment: str, day: dt.date, view: ProceedingView) -> tuple[str, str]:
    # The due date itself (the reminder's own day is 7 days before it, or the day after).
    due = view.due.day or day
    when = long_date(due)
    if moment == "unsent":
        return (
            _("Une lettre préparée n'a pas été envoyée"),
            _(
                "Vous avez préparé une lettre sur Reprise, mais vous n'avez pas encore indiqué "
                "l'avoir envoyée."
            ),
        )
    if moment == "cada":
        last = view.cada.due if view.cada is not None else day + dt.timedelta(days=7)
        text = _(
            "Pour une démarche que vous suivez sur Reprise, le dernier jour pour faire un "
            "recours est le %(day)s, dans 7 jours. Après cette date, ce recours ne sera plus "
            "possible.",
            day=long_date(last),
        )
        return _("Le dernier jour pour un recours approche"), text
    if moment == "before":
        text = _(
            "Une démarche que vous suivez sur Reprise arrive à sa date limite dans 7 jours, "
            "le %(day)s.",
            day=when,
        )
        return _("Une date limite approche"), text
    if moment == "due":
        text = _(
            "C'est aujourd'hui, le %(day)s, la date limite d'une démarche que vous suivez sur "
            "Reprise.",
            day=when,
        )
        return _("C'est aujourd'hui la date limite"), text
    text = _(
        "La date limite d'une démarche que vous suivez sur Reprise est passée : c'était le "
        "%(day)s.",
        day=when,
    )
    return _("Une démarche attend votre action"), text


def compose(to: str, moment: str, day: dt.date, view: ProceedingView, msgid: str) -> EmailMessage:
    """The reminder email: no platform, no right, no health detail; a link to the proceeding."""
    settings = get_settings()
    subject, opening = _texts(moment, day, view)
    paragraphs = [_("Bonjour,"), opening]
    if view.due.estimated and moment in {"before", "due", "after"}:
        paragraphs.append(
            _(
                "Cette date est estimée : indiquez la date de réception de votre demande dès "
                "que vous la connaissez."
            )
        )
    paragraphs += [
        _("Prochaine étape : %(step)s.", step=_(EMAIL_STEP_LABELS[view.step.code])),
        _("Pour voir la démarche (connexion nécessaire) :"),
        f"{settings.base_url}/suivi/{view.id}",
        _(
            "Ce message ne nomme ni l'organisme ni votre demande : ces informations restent "
            "dans Reprise. Pour ne plus recevoir ces rappels :"
        ),
        f"{settings.base_url}/compte/rappels",
        _("L'équipe Reprise"),
    ]
    message = build_message(
        to, _("Reprise : %(subject)s", subject=subject), "\n\n".join(paragraphs) + "\n"
    )
    message.replace_header("Message-ID", msgid)
    return message


def send_reminder(db: Session, subject: str, now: dt.datetime) -> None:
    """Run one reminder job (inside the job's transaction)."""
    from app.accounts.users import email_of

    hex_id, moment, day_text = subject.split(":")
    day = dt.date.fromisoformat(day_text)
    proceeding = db.get(
        Proceeding,
        uuid.UUID(hex_id),
        with_for_update=db.get_bind().dialect.name == "postgresql",
    )
    if proceeding is None:
        return
    today = paris_day(now)
    view = view_of(proceeding, today)
    moments = reminder_moments(view.facts, view.due, view.cada)
    item = (moment, day)
    current = item in moments
    # A more recent reminder already applies (a runner was stopped for days): skip this one.
    stale = current and any(other[1] <= today for other in moments[moments.index(item) + 1 :])
    if current and not stale:
        user = recipient(db, proceeding, today)
        preference = preferences_of(db, user.id) if user is not None else None
        if user is not None and preference is not None and preference.reminders:
            with use_locale(preference.locale):
                message = compose(
                    email_of(user), moment, day, view, message_id(subject, day.isoformat())
                )
            get_mailer().send(message)
    plan_next_reminder(db, proceeding, view, today, after=item if current else None, catch_up=1)
    db.add(proceeding)
    db.flush()


def register_reminders() -> None:
    register_kind(JobKind(REMINDER_KIND, _plan, send_reminder))


register_reminders()
