"""Every letter can be sent as the page says, and says nothing Reprise did not check (issue 12,
section 3): follow-ups without dates, the head that matches the channel, a recipient address
that is never left blank unless the person chose it, English letters without French."""

from datetime import date
from typing import Any

import pytest

from app.catalogue.loader import get_catalogue
from app.letters.compose import recipient_from_platform
from app.letters.document import Letter, Recipient
from app.letters.identity import Identity
from app.letters.options import OPTION_MODELS
from app.letters.render import letter_text
from app.letters.service import make_letter
from tests.texts import plain

TODAY = date(2026, 12, 5)


def make(
    identity_data: dict[str, Any],
    kind: str,
    slug: str | Recipient = "doctolib",
    lang: str | None = "fr",
    address_found: tuple[str, ...] = (),
    **options: Any,
) -> Letter:
    recipient = (
        slug if isinstance(slug, Recipient) else recipient_from_platform(get_catalogue().get(slug))  # type: ignore[arg-type]
    )
    return make_letter(
        kind,
        Identity.model_validate(identity_data),
        recipient,
        OPTION_MODELS[kind].model_validate(options),
        TODAY,
        lang,
        check_dates=False,
        address_found=address_found,
    )


def flat(text: str) -> str:
    return " ".join(plain(text).split())


# A follow-up written without its dates: Reprise cannot count the period, so the letter states
# the rule and what the person observes; no end date to fill in as if it had been checked.
# kind, options, lang, slug, must say, must never say
UNDATED: list[tuple[str, dict[str, Any], str, str, list[str], list[str]]] = [
    ("reminder", {}, "fr", "doctolib",
     ["vous donne un mois à compter de la réception de ma demande",
      "À la date de cette lettre, je n'ai reçu ni réponse"],
     ["a pris fin", "date de fin du délai", "est dépassé", "est écoulé"]),
    ("reminder", {}, "en", "doctolib",
     ["gives you one month from the receipt of my request",
      "As of the date of this letter, I have received neither an answer"],
     ["ended on", "end of the time limit", "has passed", "has expired"]),
    ("reminder", {"extended": True}, "fr", "doctolib",
     ["Vous m'avez annoncé une prolongation", "trois mois au plus"],
     ["a pris fin", "date de fin du délai", "a lui aussi"]),
    ("reminder", {"extended": True}, "en", "doctolib",
     ["You informed me of an extension", "three months at most"],
     ["ended on", "end of the time limit"]),
    ("reminder", {"request_kind": "medical-record"}, "fr", "ap-hp",
     ["au plus tard huit jours après la réception de la demande",
      "je n'ai reçu ni mon dossier, ni aucune réponse"],
     ["a pris fin", "date de fin du délai", "RGPD"]),
    ("reminder", {"request_kind": "medical-record"}, "en", "ap-hp",
     ["no later than eight days after the request is received"],
     ["ended on", "end of the time limit", "GDPR"]),
    # the CNIL complaint is always in French
    ("complaint-file", {}, "fr", "doctolib",
     ["donne à l'organisme un mois", "À la date de cette réclamation"],
     ["a pris fin", "date de fin du délai"]),
    ("complaint-file", {"extended": True}, "fr", "doctolib",
     ["L'organisme m'a annoncé une prolongation", "il n'a pas répondu"],
     ["a pris fin", "date de fin du délai"]),
    # with dates, the day the period ended is stated: it was counted
    ("reminder", {"received": "2026-10-07"}, "fr", "doctolib",
     ["a pris fin le 9 novembre 2026"], ["date de fin du délai"]),
    ("reminder", {"received": "2026-10-07"}, "en", "doctolib",
     ["ended on 9 November 2026"], ["end of the time limit"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "options", "lang", "slug", "must", "never"),
    UNDATED,
    ids=[f"{case[0]}-{case[2]}-{index}" for index, case in enumerate(UNDATED)],
)
def test_a_follow_up_without_dates_states_no_end_of_period(
    identity_data: dict[str, Any],
    kind: str,
    options: dict[str, Any],
    lang: str,
    slug: str,
    must: list[str],
    never: list[str],
) -> None:
    text = flat(letter_text(make(identity_data, kind, slug, lang, **options)))
    assert [words for words in must if flat(words) not in text] == []
    assert [words for words in never if flat(words) in text] == []
