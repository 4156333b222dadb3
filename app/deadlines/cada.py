"""The last day to refer a public establishment's refusal to the CADA (pure).

Code des relations entre le public et l'administration (CRPA): the CADA is seized only after a
refusal (L342-1, R311-12). The administration's silence for one month from the receipt of the
request counts as a refusal; the person then has two months, from the notification of the
refusal or from the end of that month of silence, to seize the commission (R311-15, R343-1;
CADA avis 20223341). Missing it makes the referral, and any later court action, inadmissible.
That period can be held against the person only if the refusal (or, for silence, the
acknowledgement of the request) stated the remedies and their time limits.

Reprise's own choices, all on the side of the patient, who must act in time:
- months are counted like Code de procédure civile art. 641 (same date, or the month's last
  day), and the date is never moved past a weekend or a holiday: referring earlier is safe;
- when the receipt is not known, it is counted from the day the request was sent (the earliest
  day the establishment could have had it);
- when a refusal comes after the month of silence, the earlier of the two dates is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.deadlines.calendar import add_months
from app.i18n import N_

# What a person is told when a referral comes too early or too late (letters and tracking).
CADA_TOO_EARLY = N_(
    "Le silence de l'établissement ne vaut refus qu'un mois après la réception de votre "
    "demande : la CADA ne peut être saisie qu'à partir du %(day)s."
)
CADA_TOO_LATE = N_(
    "Le délai de deux mois pour saisir la CADA a pris fin le %(due)s. Redemandez d'abord "
    "votre dossier à l'établissement : un nouveau refus, ou un mois sans réponse, ouvrira un "
    "nouveau délai de deux mois pour saisir la CADA."
)

CADA_BASIS = "code des relations entre le public et l'administration, art. L342-1, R311-12, " + (
    "R311-15 et R343-1"
)
SILENCE_MONTHS = 1
REFERRAL_MONTHS = 2


@dataclass(frozen=True)
class CadaReferral:
    """The CADA referral period: from `refused_on` (a refusal, or silence) to `due`."""

    refused_on: date
    implicit: bool
    due: date
    estimated: bool = False
    # An explicit refusal came after the silence had already counted as one.
    later_refusal: date | None = None

    def started(self, today: date) -> bool:
        """Whether the refusal has happened by `today` (the silence may still be to come)."""
        return self.refused_on <= today


def implicit_refusal_on(received: date) -> date:
    """The day silence counts as a refusal: one month after the receipt of the request."""
    return add_months(received, SILENCE_MONTHS)


def cada_referral_deadline(
    received: date | None, refusal: date | None = None, *, estimated: bool = False
) -> CadaReferral | None:
    """The referral period for a request received on `received` (None: unknown) and refused on
    `refusal` (None: no answer). None when neither date is known."""
    silence = implicit_refusal_on(received) if received is not None else None
    if refusal is not None and (silence is None or refusal <= silence):
        return CadaReferral(refusal, False, add_months(refusal, REFERRAL_MONTHS), False)
    if silence is None:
        return None
    return CadaReferral(
        silence,
        True,
        add_months(silence, REFERRAL_MONTHS),
        estimated,
        later_refusal=refusal,
    )
