"""The periods the rules count, in words: letters, pages and explanations quote these.

Each sentence that states a period fills it from the constant the computation uses, so a rule
changed in app.deadlines changes the prose with it (a number without words here fails at once).
Two forms: `period` ("un mois", "huit jours") and `period_of` ("d'un mois", "de huit jours",
in English the adjective "one-month", "eight-day").
"""

from __future__ import annotations

from app.deadlines.cada import REFERRAL_MONTHS, SILENCE_MONTHS
from app.deadlines.rules import (
    GDPR_EXTENDED_MONTHS,
    GDPR_EXTENSION_MONTHS,
    GDPR_MONTHS,
    MEDICAL_RECORD_DAYS,
    MEDICAL_RECORD_LONG_MONTHS,
)
from app.i18n import N_
from app.i18n import gettext as _

__all__ = [
    "GDPR_EXTENDED_MONTHS",
    "GDPR_EXTENSION_MONTHS",
    "GDPR_MONTHS",
    "MEDICAL_RECORD_DAYS",
    "MEDICAL_RECORD_LONG_MONTHS",
    "REFERRAL_MONTHS",
    "REMINDER_DAYS",
    "SILENCE_MONTHS",
    "answer_periods",
    "period",
    "period_of",
]

# The time a reminder gives the organisation to answer before a complaint: not a legal period,
# the one the reminder letters announce and Reprise waits for.
REMINDER_DAYS = 15
# The CADA gives its opinion within a month of a referral (domain.md: sante.gouv.fr).
CADA_OPINION_MONTHS = 1

_MONTHS = {1: N_("un mois"), 2: N_("deux mois"), 3: N_("trois mois")}
_MONTHS_OF = {1: N_("d'un mois"), 2: N_("de deux mois"), 3: N_("de trois mois")}
_DAYS = {8: N_("huit jours"), 15: N_("quinze jours")}
_DAYS_OF = {8: N_("de huit jours"), 15: N_("de quinze jours")}


def period(*, months: int = 0, days: int = 0) -> str:
    """ "un mois", "deux mois", "huit jours" (in the current language)."""
    return _(_MONTHS[months]) if months else _(_DAYS[days])


def period_of(*, months: int = 0, days: int = 0) -> str:
    """ "d'un mois", "de huit jours": the period after "le délai" (English: "one-month")."""
    return _(_MONTHS_OF[months]) if months else _(_DAYS_OF[days])


def answer_periods() -> dict[str, str]:
    """The periods an addressee has to answer, in words: what a page or a checklist tells."""
    return {
        "gdpr": period(months=GDPR_MONTHS),
        "medical_record": period(days=MEDICAL_RECORD_DAYS),
        "medical_record_long": period(months=MEDICAL_RECORD_LONG_MONTHS),
        "cada": period(months=CADA_OPINION_MONTHS),
        "cada_of": period_of(months=CADA_OPINION_MONTHS),
    }
