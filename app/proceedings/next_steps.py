"""The one next step of a proceeding, and the reminders planned around its due date (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.deadlines.cada import CADA_TOO_EARLY, CADA_TOO_LATE, CadaReferral, implicit_refusal_on
from app.i18n import N_, long_date
from app.i18n import gettext as _
from app.letters.kinds import LETTER_KINDS
from app.proceedings.deadline import Due, cada_of
from app.proceedings.lifecycle import Facts

# A letter Reprise made and nobody marked as sent: a reminder after this many days (a
# practical choice).
UNSENT_AFTER = dt.timedelta(days=3)
BEFORE = dt.timedelta(days=7)
# "cada": seven days before the last day to refer a refused or unanswered medical-record
# request to the CADA (after it, the refusal can no longer be taken to court).
MOMENTS = ("unsent", "before", "due", "after", "cada")


@dataclass(frozen=True)
class NextStep:
    """What to do now: `code`, the follow-up `letter` to make, the `event` form to open."""

    code: str
    letter: str | None = None
    event: str | None = None
    when: dt.date | None = None


# What each step says, for pages (and, in general terms, for emails).
STEP_LABELS: dict[str, str] = {
    "send": N_("Envoyez la lettre, puis indiquez la date d'envoi"),
    "record-receipt": N_("Indiquez la date de réception dès que vous la connaissez"),
    "wait": N_("Attendez la réponse"),
    "answer-identity": N_("Envoyez le justificatif demandé, puis indiquez la date d'envoi"),
    "remind": N_("Envoyez une relance"),
    "write-incomplete": N_("Écrivez la lettre de réponse incomplète"),
    "complain": N_("Préparez le dossier de réclamation pour la CNIL"),
    "refer-cada": N_("Préparez la saisine de la CADA (ou une réclamation à la CNIL)"),
    "ask-again": N_(
        "Le délai pour saisir la CADA est passé : redemandez d'abord votre dossier à "
        "l'établissement (ou adressez une réclamation à la CNIL)"
    ),
    "wait-authority": N_("Attendez la réponse de l'autorité"),
    "close": N_("Clôturez la démarche si la réponse vous convient"),
    "none": N_("Rien à faire : la démarche est close"),
}
# The same in terms that reveal nothing about health, for emails.
EMAIL_STEP_LABELS: dict[str, str] = {
    "send": N_("envoyer la lettre préparée, puis indiquer la date d'envoi"),
    "record-receipt": N_("indiquer la date de réception de votre demande"),
    "wait": N_("attendre la réponse"),
    "answer-identity": N_("répondre à la demande de justificatif"),
    "remind": N_("envoyer une relance"),
    "write-incomplete": N_("écrire une lettre pour signaler une réponse incomplète"),
    "complain": N_("préparer une réclamation"),
    "refer-cada": N_("préparer une réclamation"),
    "ask-again": N_("refaire votre demande"),
    "wait-authority": N_("attendre la réponse de l'autorité"),
    "close": N_("clôturer la démarche"),
    "none": N_("rien"),
}


def next_step(facts: Facts, due: Due, today: dt.date, *, hospital: bool = False) -> NextStep:
    """The one thing to do now. `hospital`: the holder may be a public hospital (CADA)."""
    state = facts.state
    if state == "closed":
        return NextStep("none")
    pending = facts.pending_letter
    if pending is not None:
        return NextStep("send", letter=pending.letter, event=_sending_event(pending.letter))
    overdue = due.day is not None and today > due.day
    if state == "suspended":
        return NextStep("answer-identity", event="identity-answered")
    if state == "waiting":
        if overdue:
            return NextStep("remind", letter="reminder", when=due.day)
        if due.receipt is not None and due.receipt.estimated and due.receipt.channel == "post":
            return NextStep("record-receipt", event="received", when=due.day)
        return NextStep("wait", event="answer", when=due.day)
    if state == "incomplete":
        if facts.right == "access":
            return NextStep("write-incomplete", letter="incomplete-answer")
        return NextStep("remind", letter="reminder")
    if state == "reminded":
        if overdue:
            return _escalate(facts, due, today, hospital)
        return NextStep("wait", event="answer", when=due.day)
    if state == "refused":
        return _escalate(facts, due, today, hospital)
    if state == "answered":
        return NextStep("close", event="closed")
    if state == "complaint":
        return NextStep("wait-authority", event="closed")
    return NextStep("send", letter=facts.right, event="sent")


def _sending_event(letter: str | None) -> str:
    return LETTER_KINDS[letter].sent_event if letter else "sent"


def cada_opens(cada: CadaReferral, due: Due) -> dt.date:
    """The first day the CADA may be seized: the refusal, or one month of silence after the
    receipt (its estimate when only the sending is known, so that it never comes too early)."""
    if cada.implicit and cada.estimated and due.receipt is not None:
        return implicit_refusal_on(due.receipt.day)
    return cada.refused_on


def cada_timing(
    facts: Facts, due: Due, today: dt.date, hospital: bool
) -> tuple[str, CadaReferral] | None:
    """("early" | "open" | "late", period) for a referral to the CADA today; None when the
    CADA cannot act (not a medical record, not a public establishment, already seized)."""
    cada = cada_of(facts, hospital=hospital)
    if cada is None:
        return None
    if today < cada_opens(cada, due):
        return "early", cada
    return ("late" if today > cada.due else "open"), cada


def _escalate(facts: Facts, due: Due, today: dt.date, hospital: bool) -> NextStep:
    """A complaint; for a medical record an establishment that may be public refused or left
    unanswered, the CADA, `when` being the last day to seize it (or, before a month of
    silence, the first one)."""
    since = None if facts.state == "refused" else due.day
    timing = cada_timing(facts, due, today, hospital) if facts.right == "medical-record" else None
    if timing is not None:
        moment, cada = timing
        if moment == "early":
            return NextStep("wait", event="answer", when=cada_opens(cada, due))
        if moment == "late":
            return NextStep("ask-again", when=cada.due)
        return NextStep("refer-cada", letter="cada-referral", when=cada.due)
    if facts.right == "medical-record" and hospital and facts.state != "complaint":
        return NextStep("refer-cada", letter="cada-referral", when=since)
    return NextStep("complain", letter="complaint-file", when=since)


def follow_up_refusal(
    facts: Facts, due: Due, today: dt.date, kind: str, *, hospital: bool = False
) -> str | None:
    """Why a tracked request's follow-up `kind` cannot be written today (None: it can), with
    the first day it becomes possible."""
    waiting = facts.state in {"waiting", "reminded"}
    if kind in LETTER_KINDS and LETTER_KINDS[kind].after_the_period and waiting:
        if due.day is None:
            return _(
                "Le délai est suspendu : la plateforme attend votre réponse à sa demande de "
                "justificatif d'identité."
            )
        if today <= due.day:
            return _(
                "Le délai de réponse court jusqu'au %(due)s inclus : cette lettre sera "
                "possible à partir du %(first)s.",
                due=long_date(due.day),
                first=long_date(due.day + dt.timedelta(days=1)),
            )
    if kind == "cada-referral":
        timing = cada_timing(facts, due, today, hospital)
        if timing is not None and timing[0] == "early":
            return _(
                CADA_TOO_EARLY,
                day=long_date(cada_opens(timing[1], due)),
            )
        if timing is not None and timing[0] == "late":
            return _(
                CADA_TOO_LATE,
                due=long_date(timing[1].due),
            )
    return None


def reminder_moments(
    facts: Facts, due: Due, cada: CadaReferral | None = None
) -> list[tuple[str, dt.date]]:
    """Every reminder email this proceeding calls for now, by date: a letter left unsent;
    seven days before, on and the day after the due date while an answer is awaited; seven
    days before the last day to seize the CADA (`cada`, from `cada_of`)."""
    moments: list[tuple[str, dt.date]] = []
    if facts.state == "closed":
        return moments
    if cada is not None:
        moments.append(("cada", cada.due - BEFORE))
    if facts.pending_letter is not None:
        moments.append(("unsent", facts.pending_letter.date + UNSENT_AFTER))
    if due.day is not None and facts.state in {"waiting", "reminded"}:
        moments += [
            ("before", due.day - BEFORE),
            ("due", due.day),
            ("after", due.day + dt.timedelta(days=1)),
        ]
    return sorted(moments, key=lambda item: (item[1], MOMENTS.index(item[0])))


def next_reminder(
    moments: list[tuple[str, dt.date]],
    today: dt.date,
    after: tuple[str, dt.date] | None = None,
    catch_up: int = 0,
) -> tuple[str, dt.date] | None:
    """The reminder to plan next: after `after` (one just sent), the most recent one at most
    `catch_up` days old (a runner that was stopped), else the first still to come."""
    candidates = moments
    if after is not None and after in moments:
        candidates = moments[moments.index(after) + 1 :]
    earliest = today - dt.timedelta(days=catch_up)
    recent = [item for item in candidates if earliest <= item[1] <= today]
    if recent:
        return recent[-1]
    return next((item for item in candidates if item[1] > today), None)


def useful_letters(facts: Facts, due: Due, today: dt.date, *, hospital: bool = False) -> list[str]:
    """The follow-up letters worth offering now (the lifecycle may allow more)."""
    state = facts.state
    overdue = due.day is not None and today > due.day
    letters: list[str] = []
    if (state in {"waiting", "reminded"} and overdue) or (
        state == "incomplete" and facts.right != "access"
    ):
        letters.append("reminder")
    if state in {"incomplete", "reminded"} and facts.right == "access" and facts.incomplete_answer:
        letters.append("incomplete-answer")
    escalate = state in {"refused", "incomplete", "complaint", "answered"} or (
        state in {"waiting", "reminded"} and overdue
    )
    if escalate:
        letters.append("complaint-file")
    cada = cada_timing(facts, due, today, hospital) if state != "answered" else None
    if escalate and cada is not None and cada[0] == "open":
        letters.append("cada-referral")
    return letters
