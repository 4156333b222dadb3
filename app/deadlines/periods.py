"""The periods the rules count, in words: letters, pages and explanations quote these.

Each sentence that states a period fills it from the constant the computation uses, so a rule
changed in app.deadlines changes the prose with it (a number without words here fails at once).
`period` gives the bare words ("un mois", "huit jours"); `phrase` the words with those around
them where the two languages differ ("Le délai d'un mois", "The one-month time limit").
"""

from __future__ import annotations

from typing import Literal

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
    "phrase",
]

Phrase = Literal[
    "the-time-limit", "this-time-limit", "within", "within-the-time-limit", "is", "extended-by"
]

# The time a reminder gives the organisation to answer before a complaint: not a legal period,
# the one the reminder letters announce and Reprise waits for.
REMINDER_DAYS = 15
# The CADA gives its opinion within a month of a referral (domain.md: sante.gouv.fr).
CADA_OPINION_MONTHS = 1

_MONTHS = {1: N_("un mois"), 2: N_("deux mois"), 3: N_("trois mois")}
_DAYS = {8: N_("huit jours"), 15: N_("quinze jours")}
# A period with the words around it where French and English phrase it differently ("Le délai
# d'un mois" / "The one-month time limit"): one entry for each (unit, count) a sentence quotes.
_PHRASES: dict[Phrase, dict[tuple[str, int], str]] = {
    "the-time-limit": {
        ("months", 1): N_("Le délai d'un mois"),
        ("months", 2): N_("Le délai de deux mois"),
        ("months", 3): N_("Le délai de trois mois"),
        ("days", 8): N_("Le délai de huit jours"),
    },
    "this-time-limit": {("months", 2): N_("Ce délai de deux mois")},
    "within": {("months", 1): N_("dans un délai d'un mois")},
    "within-the-time-limit": {("months", 2): N_("dans le délai de deux mois")},
    "is": {("months", 2): N_("est de deux mois")},
    "extended-by": {("months", 2): N_("prolongé de deux mois")},
}


def period(*, months: int = 0, days: int = 0) -> str:
    """ "un mois", "deux mois", "huit jours" (in the current language)."""
    return _(_MONTHS[months]) if months else _(_DAYS[days])


def phrase(kind: Phrase, *, months: int = 0, days: int = 0) -> str:
    """The period in its phrase: `phrase("the-time-limit", months=1)` is "Le délai d'un mois"."""
    key = ("months", months) if months else ("days", days)
    return _(_PHRASES[kind][key])


def answer_periods() -> dict[str, str]:
    """The periods an addressee has to answer, in words: what a page or a checklist tells."""
    return {
        "gdpr": period(months=GDPR_MONTHS),
        "medical_record": period(days=MEDICAL_RECORD_DAYS),
        "medical_record_long": period(months=MEDICAL_RECORD_LONG_MONTHS),
        "cada_within": phrase("within", months=CADA_OPINION_MONTHS),
    }
