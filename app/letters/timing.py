"""When a follow-up may be written: the same deadline engine as tracking, applied to the dates
a letter is given (pure).

A reminder, or a complaint for want of an answer, says that the period has passed: it can be
made only from the day after the due date, counted by the deadline rules from the receipt (or
its estimate from the sending, app.deadlines.receipt), with the extension and the suspension
for an identity proof. A referral to the CADA needs a refusal, or one month of silence after the
receipt (CRPA R311-12, R311-13), and must come within two months of it (R343-1). Without any
date, nothing is checked: the letter keeps its blanks and states no period as passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.catalogue.schema import Platform
from app.deadlines.cada import (
    CADA_TOO_EARLY,
    CADA_TOO_LATE,
    CadaReferral,
    cada_referral_deadline,
    implicit_refusal_on,
)
from app.deadlines.calendar import in_alsace_moselle
from app.deadlines.receipt import estimated_receipt
from app.deadlines.rules import Deadline, DeadlineQuery, check, compute_deadline
from app.errors import Invalid
from app.i18n import gettext as _
from app.i18n import long_date
from app.letters.document import Recipient
from app.letters.options import (
    CadaReferralOptions,
    ComplaintFileOptions,
    FollowUpOptions,
    Options,
    TimedFollowUpOptions,
)
from app.letters.postal import french_postal_code


@dataclass(frozen=True)
class Counted:
    """A request's deadline as a follow-up sees it, and the option its receipt comes from."""

    deadline: Deadline
    field: str  # "received", or "request_date" when the receipt is estimated
    estimated: bool


def holder_in_alsace_moselle(recipient: Recipient, platform: Platform | None) -> bool:
    """Whether the holder is in Alsace-Moselle: the catalogue's region, else the postal code."""
    if platform is not None:
        return platform.region == "alsace-moselle"
    code = french_postal_code(recipient.address_lines)
    return code is not None and in_alsace_moselle(code)


def receipt(options: FollowUpOptions, alsace_moselle: bool = False) -> tuple[date, bool] | None:
    """The receipt date (known, or estimated from the sending), None when neither is given."""
    if options.received is not None:
        return options.received, False
    if options.request_date is None:
        return None
    acted = [options.identity_requested] if isinstance(options, TimedFollowUpOptions) else []
    acted_days = [day for day in acted if day is not None]
    sent = options.request_date
    return estimated_receipt(sent, options.channel, alsace_moselle, acted_days), True


def counted(options: TimedFollowUpOptions, alsace_moselle: bool = False) -> Counted | None:
    """The first request's deadline; Invalid naming the date that does not make sense."""
    found = receipt(options, alsace_moselle)
    if found is None:
        return None
    day, estimated = found
    field = "request_date" if estimated else "received"
    medical = options.request_kind == "medical-record"
    query = DeadlineQuery(
        regime="medical-record" if medical else "gdpr",
        received=day,
        extended=options.extended and not medical,
        older_than_5_years=options.older_than_5_years and medical,
        alsace_moselle=alsace_moselle,
        identity_requested=None if medical else options.identity_requested,
        identity_answered=None if medical else options.identity_answered,
    )
    problems = check(query)
    if problems:
        raise Invalid(
            {
                "options." + (field if name == "received" else name): message
                for name, message in problems.items()
            }
        )
    return Counted(compute_deadline(query), field, estimated)


def _premature(kind: str, options: TimedFollowUpOptions, today: date, alsace: bool) -> None:
    count = counted(options, alsace)
    if count is None:
        return
    deadline = count.deadline
    if deadline.due is None:
        raise Invalid(
            {
                "options.identity_answered": _(
                    "Le délai est suspendu tant que la plateforme n'a pas reçu votre réponse "
                    "à sa demande de justificatif d'identité : indiquez la date de cette "
                    "réponse. Une relance ou une réclamation n'est pas possible avant."
                )
            }
        )
    if today > deadline.due:
        return
    first = deadline.due + timedelta(days=1)
    what = _("La relance") if kind == "reminder" else _("La réclamation pour absence de réponse")
    raise Invalid(
        {
            "options." + count.field: _(
                "Le délai de réponse court jusqu'au %(due)s inclus : il n'est pas encore "
                "passé. %(what)s sera possible à partir du %(first)s.",
                due=long_date(deadline.due),
                what=what,
                first=long_date(first),
            )
        }
    )


def cada_window(options: CadaReferralOptions) -> CadaReferral | None:
    """The referral period of the tracking engine for these dates (None without any date)."""
    received = options.received or options.request_date
    return cada_referral_deadline(
        received, options.refusal_date, estimated=options.received is None
    )


def _cada_field(options: CadaReferralOptions, window: CadaReferral) -> str:
    if not window.implicit:
        return "options.refusal_date"
    return "options.received" if options.received is not None else "options.request_date"


def cada_opens(options: CadaReferralOptions, window: CadaReferral) -> date | None:
    """The first day the CADA may be seized: at once after an express refusal; after silence,
    one month after the receipt (estimated from the sending by post when it is not known, so
    that the referral never comes too early)."""
    if options.refusal_date is not None:
        return None
    if options.received is None and options.request_date is not None:
        return implicit_refusal_on(estimated_receipt(options.request_date, None))
    return window.refused_on


def _cada(options: CadaReferralOptions, today: date) -> None:
    window = cada_window(options)
    if window is None:
        return
    field = _cada_field(options, window)
    opens = cada_opens(options, window)
    if opens is not None and today < opens:
        raise Invalid(
            {
                field: _(
                    CADA_TOO_EARLY,
                    day=long_date(opens),
                )
            }
        )
    if today > window.due:
        raise Invalid(
            {
                field: _(
                    CADA_TOO_LATE,
                    due=long_date(window.due),
                )
            }
        )


def check_timing(kind: str, options: Options, today: date, alsace_moselle: bool = False) -> None:
    """Refuse a follow-up dated `today` that comes too early or too late (Invalid naming the
    date option it rests on, with the first day the letter becomes possible)."""
    if kind == "reminder" and isinstance(options, TimedFollowUpOptions):
        _premature(kind, options, today, alsace_moselle)
    elif kind == "complaint-file" and isinstance(options, ComplaintFileOptions):
        if options.outcome == "no-answer":
            _premature(kind, options, today, alsace_moselle)
    elif kind == "cada-referral" and isinstance(options, CadaReferralOptions):
        _cada(options, today)


def period_passed(options: TimedFollowUpOptions) -> bool:
    """Whether the letter may state the period as passed: a date was given, so it was checked."""
    return options.received is not None or options.request_date is not None
