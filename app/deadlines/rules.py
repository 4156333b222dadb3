"""Deadline rules: pure functions from the day a request was received to the day it is due.

GDPR (art. 12(3)): one month from receipt, three with the extension, counted as Regulation
(EEC, Euratom) 1182/71 art. 3 says: the day of receipt does not count, a month ends on the
same date of the last month (or on its last day when that date does not exist), and a period
ending on a Saturday, Sunday or public holiday ends on the next working day.

Medical record (CSP L1111-7, R1111-1): not before a 48-hour reflection period, at the latest
8 days after receipt, 2 months when the information is over five years old or the departmental
psychiatric care commission is seized. Counted like Code de procédure civile art. 641-642
(the same rules as above, for days and for months).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.deadlines.calendar import add_months, non_working_reason
from app.errors import Invalid
from app.i18n import gettext as _
from app.i18n import long_date

Regime = Literal["gdpr", "medical-record"]
REGIMES: tuple[Regime, ...] = ("gdpr", "medical-record")

# Dates outside this range are refused: holiday rules far from today are guesses.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
# The GDPR applies from 25 May 2018 (art. 99(2)); earlier requests fell under other rules.
GDPR_START = date(2018, 5, 25)

GDPR_BASIS = "RGPD art. 12(3); règlement (CEE, Euratom) n° 1182/71"
MEDICAL_RECORD_BASIS = "CSP art. L1111-7 et R1111-1; code de procédure civile art. 641-642"
# Art. 12(6) is where a controller with reasonable doubts asks for more. The décret article
# suspending the period today (décret n° 2019-536, probably art. 77) was not verified: not cited.
IDENTITY_BASIS = "RGPD art. 12(6)"
ALSACE_MOSELLE_BASIS = (
    "code du travail art. L3133-1 et L3134-13 (Vendredi saint compté férié dans toute "
    "l'Alsace-Moselle, ce qui ne peut que reporter l'échéance)"
)

REFLECTION_PERIOD = timedelta(hours=48)
# GDPR art. 12(3): one month, extended by two more when announced within the first month.
GDPR_MONTHS = 1
GDPR_EXTENSION_MONTHS = 2
GDPR_EXTENDED_MONTHS = GDPR_MONTHS + GDPR_EXTENSION_MONTHS
MEDICAL_RECORD_DAYS = 8
MEDICAL_RECORD_LONG_MONTHS = 2


class DeadlineQuery(BaseModel):
    """What a deadline depends on; the same fields for the command line and the API."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    regime: Regime = Field(description="gdpr or medical-record")
    received: date = Field(description="the day the platform received the request")
    extended: bool = Field(False, description="GDPR: the platform announced an extension")
    older_than_5_years: bool = Field(
        False, description="medical record: information over five years old"
    )
    psychiatric_commission: bool = Field(
        False, description="medical record: the psychiatric care commission is seized"
    )
    alsace_moselle: bool = Field(
        False, description="the platform is in Moselle, Bas-Rhin or Haut-Rhin"
    )
    identity_requested: date | None = Field(
        None, description="GDPR: the day the platform asked for proof of identity"
    )
    identity_answered: date | None = Field(
        None, description="GDPR: the day the platform received that proof"
    )


class SkippedDay(BaseModel):
    """A day the due date was moved past, and why (a weekend day or a holiday's name)."""

    model_config = ConfigDict(frozen=True)

    date: date
    reason: str


class Deadline(BaseModel):
    """A computed deadline; the first six fields are the stable contract (contract.md)."""

    model_config = ConfigDict(frozen=True)

    regime: Regime
    received: date
    extended: bool
    due: date | None = Field(description="the last day to answer; null while suspended")
    not_before: date | None = Field(description="the earliest day of the answer, if any")
    basis: str
    older_than_5_years: bool = False
    psychiatric_commission: bool = False
    alsace_moselle: bool = False
    identity_requested: date | None = None
    identity_answered: date | None = None
    suspended_days: int = 0
    period_end: date | None = Field(
        default=None, description="the period's last day before moving past days off"
    )
    skipped: tuple[SkippedDay, ...] = ()
    notes: tuple[str, ...] = ()


def _move_past_days_off(
    period_end: date, alsace_moselle: bool
) -> tuple[date, tuple[SkippedDay, ...]]:
    """The first working day from `period_end` on, with the days skipped to reach it."""
    skipped: list[SkippedDay] = []
    day = period_end
    while (reason := non_working_reason(day, alsace_moselle)) is not None:
        skipped.append(SkippedDay(date=day, reason=_(reason)))
        day += timedelta(days=1)
    return day, tuple(skipped)


def _basis(main: str, *, alsace_moselle: bool, identity: bool = False) -> str:
    parts = [main]
    if identity:
        parts.append(IDENTITY_BASIS)
    if alsace_moselle:
        parts.append(ALSACE_MOSELLE_BASIS)
    return "; ".join(parts)


def gdpr_period_end(received: date, extended: bool = False) -> date:
    """The last day of the GDPR period before days off: one month, or three when extended."""
    return add_months(received, GDPR_EXTENDED_MONTHS if extended else GDPR_MONTHS)


def gdpr_deadline(
    received: date,
    *,
    extended: bool = False,
    alsace_moselle: bool = False,
    identity_requested: date | None = None,
    identity_answered: date | None = None,
) -> Deadline:
    """The GDPR deadline; a justified identity request stops the clock until it is answered."""
    period_end = gdpr_period_end(received, extended)
    due, skipped = _move_past_days_off(period_end, alsace_moselle)
    notes: list[str] = []
    if extended:
        notes.append(
            _(
                "La prolongation ne vaut que si la plateforme vous l'a annoncée, avec ses "
                "motifs, dans le mois suivant la réception de votre demande."
            )
        )
    suspended_days = 0
    suspends = identity_requested is not None and identity_requested <= due
    if identity_requested is not None and not suspends:
        notes.append(
            _(
                "La demande de justificatif d'identité est arrivée après l'échéance : elle ne "
                "suspend pas le délai."
            )
        )
    if suspends and identity_requested is not None:
        if identity_answered is None:
            notes.append(
                _(
                    "Le délai est suspendu depuis le %(day)s, jusqu'à ce que la plateforme "
                    "reçoive votre réponse à sa demande de justificatif d'identité.",
                    day=long_date(identity_requested),
                )
            )
            return Deadline(
                regime="gdpr",
                received=received,
                extended=extended,
                due=None,
                not_before=None,
                basis=_basis(GDPR_BASIS, alsace_moselle=alsace_moselle, identity=True),
                alsace_moselle=alsace_moselle,
                identity_requested=identity_requested,
                notes=tuple(notes),
            )
        suspended_days = (identity_answered - identity_requested).days
        # The days between the request and the answer do not count, and the period never
        # ends before the answer (the request may come in the days a weekend added).
        period_end = max(period_end + timedelta(days=suspended_days), identity_answered)
        due, skipped = _move_past_days_off(period_end, alsace_moselle)
    return Deadline(
        regime="gdpr",
        received=received,
        extended=extended,
        due=due,
        not_before=None,
        basis=_basis(GDPR_BASIS, alsace_moselle=alsace_moselle, identity=suspends),
        alsace_moselle=alsace_moselle,
        identity_requested=identity_requested,
        identity_answered=identity_answered,
        suspended_days=suspended_days,
        period_end=period_end,
        skipped=skipped,
        notes=tuple(notes),
    )


def medical_record_period_end(received: date, long_period: bool = False) -> date:
    """The last day of the period before days off: 8 days, or 2 months for the long period."""
    if long_period:
        return add_months(received, MEDICAL_RECORD_LONG_MONTHS)
    return received + timedelta(days=MEDICAL_RECORD_DAYS)


def medical_record_not_before(received: date) -> date:
    """The first day the record may be sent: 48 hours after receipt.

    The receipt is known to the day, not the hour: 48 hours after any moment of day D fall on
    day D + 2, the earliest day a communication can respect the reflection period.
    """
    return received + timedelta(days=REFLECTION_PERIOD.days)


def medical_record_deadline(
    received: date,
    *,
    older_than_5_years: bool = False,
    psychiatric_commission: bool = False,
    alsace_moselle: bool = False,
) -> Deadline:
    """The medical-record deadline (CSP L1111-7), counted like CPC art. 641-642."""
    period_end = medical_record_period_end(received, older_than_5_years or psychiatric_commission)
    due, skipped = _move_past_days_off(period_end, alsace_moselle)
    return Deadline(
        regime="medical-record",
        received=received,
        extended=False,
        due=due,
        not_before=medical_record_not_before(received),
        basis=_basis(MEDICAL_RECORD_BASIS, alsace_moselle=alsace_moselle),
        older_than_5_years=older_than_5_years,
        psychiatric_commission=psychiatric_commission,
        alsace_moselle=alsace_moselle,
        period_end=period_end,
        skipped=skipped,
        notes=(
            _(
                "Le dossier ne peut pas vous être communiqué avant un délai de réflexion de "
                "48 heures."
            ),
        ),
    )


def _date_problem(day: date) -> str | None:
    if not EARLIEST <= day <= LATEST:
        return _("Indiquez une date entre le 1er janvier 2000 et le 31 décembre 2100.")
    return None


def check(query: DeadlineQuery) -> dict[str, str]:
    """Each field that does not make sense, with a message a person can act on."""
    errors: dict[str, str] = {}
    for field in ("received", "identity_requested", "identity_answered"):
        value = getattr(query, field)
        if value is not None and (problem := _date_problem(value)):
            errors[field] = problem
    gdpr = query.regime == "gdpr"
    if gdpr and "received" not in errors and query.received < GDPR_START:
        errors["received"] = _("Le RGPD s'applique aux demandes reçues à partir du 25 mai 2018.")
    if not gdpr:
        if query.extended:
            errors["extended"] = _("La prolongation de deux mois n'existe que sous le RGPD.")
        if query.identity_requested is not None:
            errors["identity_requested"] = _(
                "Reprise ne compte cette suspension que pour une demande fondée sur le RGPD."
            )
    else:
        if query.older_than_5_years:
            errors["older_than_5_years"] = _(
                "Ce choix ne concerne que les demandes de dossier médical."
            )
        if query.psychiatric_commission:
            errors["psychiatric_commission"] = _(
                "Ce choix ne concerne que les demandes de dossier médical."
            )
    requested, answered = query.identity_requested, query.identity_answered
    if answered is not None and "identity_answered" not in errors:
        if requested is None:
            errors["identity_answered"] = _(
                "Indiquez aussi la date de la demande de justificatif d'identité."
            )
        elif answered < requested:
            errors["identity_answered"] = _(
                "La réponse ne peut pas précéder la demande de justificatif d'identité."
            )
    both_valid = not errors.keys() & {"identity_requested", "received"}
    if requested is not None and both_valid and requested < query.received:
        errors["identity_requested"] = _(
            "La demande de justificatif ne peut pas précéder la réception de votre demande."
        )
    return errors


def compute_deadline(query: DeadlineQuery) -> Deadline:
    """The deadline `query` asks for; raises Invalid naming each field that does not make sense."""
    errors = check(query)
    if errors:
        raise Invalid(errors)
    if query.regime == "gdpr":
        return gdpr_deadline(
            query.received,
            extended=query.extended,
            alsace_moselle=query.alsace_moselle,
            identity_requested=query.identity_requested,
            identity_answered=query.identity_answered,
        )
    return medical_record_deadline(
        query.received,
        older_than_5_years=query.older_than_5_years,
        psychiatric_commission=query.psychiatric_commission,
        alsace_moselle=query.alsace_moselle,
    )


def deadline_json(deadline: Deadline) -> dict[str, object]:
    """The deadline as the command line prints it and the API returns it."""
    return deadline.model_dump(mode="json")


__all__ = [
    "REGIMES",
    "Deadline",
    "DeadlineQuery",
    "compute_deadline",
    "deadline_json",
    "gdpr_deadline",
    "medical_record_deadline",
]
