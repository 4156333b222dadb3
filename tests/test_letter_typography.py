"""French letters read as French is printed: a no-break space before every colon, semicolon,
exclamation and question mark and inside « », in the letter, its HTML and its email text; no
"né(e)" once the form of address is known; no "à Centre hospitalier", "Adresse : inconnu" or
"Objet : relance : ...". Every kind, its options drawn by Hypothesis."""

import html
import re
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalogue.loader import get_catalogue
from app.letters.compose import recipient_from_platform
from app.letters.document import Letter, Recipient
from app.letters.email import email_subject
from app.letters.identity import Identity
from app.letters.kinds import OPTION_MODELS, RIGHT_KINDS
from app.letters.options import (
    ACCESS_ITEMS,
    ERASURE_GROUNDS,
    HEIR_PURPOSES,
    MANDATE_RIGHTS,
    OBJECTION_PURPOSES,
    REQUESTERS,
)
from app.letters.render import letter_body_text, letter_html, letter_text
from app.letters.service import make_letter

TODAY = date(2026, 12, 5)
DAYS = st.dates(date(2026, 1, 5), date(2026, 10, 30))
# What a person types: never a colon, so that every colon found is Reprise's own.
TYPED = st.sampled_from(["je suis suivie pour une maladie chronique", "Dupont", "2019 à 2024"])
CHANNELS = st.sampled_from([None, "post", "email", "web-form"])


def some(values: tuple[str, ...], min_size: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), min_size=min_size, unique=True)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


FOLLOW_UP = {
    "request_kind": st.sampled_from(RIGHT_KINDS),
    "request_date": maybe(DAYS),
    "received": maybe(DAYS),
    "channel": CHANNELS,
    "reference": maybe(st.just("RR 1234 5678 9FR")),
}
TIMED = {
    **FOLLOW_UP,
    "extended": st.booleans(),
    "older_than_5_years": st.booleans(),
}
PERSON = st.fixed_dictionaries({"given_name": st.just("Paul"), "family_name": st.just("Dupont")})
OPTIONS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "access": st.fixed_dictionaries({"sovereignty": st.booleans(), "electronic": st.booleans()}),
    "erasure": st.fixed_dictionaries(
        {
            "grounds": some(ERASURE_GROUNDS, 1),
            "close_account": st.booleans(),
            "genetic": maybe(st.booleans()),
            "processor_reminder": maybe(st.booleans()),
        }
    ),
    "objection": st.fixed_dictionaries(
        {
            "purposes": some(OBJECTION_PURPOSES, 1),
            "situation": maybe(TYPED),
            "snds": maybe(st.booleans()),
            "also_erase": st.booleans(),
        }
    ),
    "rectification": st.fixed_dictionaries(
        {
            "corrections": st.lists(
                st.fixed_dictionaries({"current": maybe(TYPED), "corrected": TYPED}),
                max_size=3,
            )
        }
    ),
    "portability": st.fixed_dictionaries({"transmit_to": maybe(TYPED)}),
    "medical-record": st.fixed_dictionaries(
        {
            "addressee": st.sampled_from(["director", "practitioner"]),
            "delivery": st.sampled_from(["post", "email", "on-site", "doctor"]),
            "requester": st.sampled_from(REQUESTERS),
            "patient": maybe(
                st.fixed_dictionaries(
                    {
                        "given_name": st.just("Paul"),
                        "family_name": st.just("Dupont"),
                        "birth_date": maybe(st.just(date(1940, 2, 1))),
                        "death_date": maybe(st.just(date(2025, 12, 1))),
                    }
                ).map(drop_none)
            ),
            "heir_purposes": some(HEIR_PURPOSES, 1),
            "doctor": maybe(
                st.just({"name": "Dr Martin", "address_lines": ["1 rue de la Paix", "75002 Paris"]})
            ),
            "period": maybe(TYPED),
            "older_than_5_years": st.booleans(),
            "id_copy": st.booleans(),
            "protection": st.sampled_from(["representation", "assistance"]),
        }
    ),
    "reminder": st.fixed_dictionaries(TIMED),
    "incomplete-answer": st.fixed_dictionaries(
        {**FOLLOW_UP, "answer_date": maybe(DAYS), "missing": some(ACCESS_ITEMS)}
    ),
    "complaint-file": st.fixed_dictionaries(
        {
            **TIMED,
            "outcome": st.sampled_from(["no-answer", "incomplete", "refused", "wrong"]),
            "reminder_date": maybe(DAYS),
            "answer_date": maybe(DAYS),
            "details": maybe(TYPED),
            "on_behalf": st.booleans(),
            "data_subject": maybe(PERSON),
        }
    ),
    "cada-referral": st.fixed_dictionaries(
        {
            "request_date": maybe(DAYS),
            "received": maybe(DAYS),
            "refusal_date": maybe(DAYS),
            "documents": maybe(TYPED),
        }
    ),
    "mandate": st.fixed_dictionaries(
        {
            "agent": maybe(
                st.fixed_dictionaries(
                    {
                        "name": st.sampled_from(["Asso Santé", "Jeanne Martin"]),
                        "kind": st.sampled_from(["person", "association"]),
                        "address_lines": st.sampled_from([[], ["3 rue Haute", "69001 Lyon"]]),
                    }
                )
            ),
            "rights": some(MANDATE_RIGHTS, 1),
            "data": maybe(TYPED),
            "answers_to": st.sampled_from(["principal", "agent"]),
            "article_80": st.booleans(),
        }
    ),
}
HAND_TYPED = (
    Recipient(name="Centre hospitalier de Test", address_lines=(), public=True),
    Recipient(
        name="Clinique du Parc",
        address_lines=("4 avenue du Parc", "69006 Lyon"),
        email="contact@clinique.example",
        public=False,
    ),
)
SLUGS = ("doctolib", "ap-hp", "23andme", "snds", "hcl", "eds-aphp", "ramsay-sante", "alan")
RECIPIENTS = st.one_of(
    st.sampled_from(HAND_TYPED),
    st.sampled_from(SLUGS).map(
        lambda slug: recipient_from_platform(get_catalogue().get(slug))  # type: ignore[arg-type]
    ),
)
TITLES = st.sampled_from([None, "madame", "monsieur"])

# A space that may break before : ; ! ? », or after «; a mark glued to the word before it.
BREAKING_SPACE = re.compile(r"[ \t\n][:;!?»]|«[ \t\n]")
GLUED = re.compile(r"[^\s\u00a0\u202f/][:;!?»]|«[^\s\u00a0\u202f]")
# Where a colon belongs to something else: a link or an email's scheme, a time.
NOT_PUNCTUATION = re.compile(r"https?://\S+|mailto:\S+|\b\d{1,2}:\d{2}\b")
AGREED = re.compile(r"\w\(e\)")  # né(e), informé(e), soussigné(e); not the list's "(e)"


def french_faults(text: str) -> list[str]:
    text = NOT_PUNCTUATION.sub("", text)
    faults = [text[max(0, m.start() - 30) : m.end() + 5] for m in BREAKING_SPACE.finditer(text)]
    faults += [text[max(0, m.start() - 30) : m.end() + 5] for m in GLUED.finditer(text)]
    return faults


def html_text(letter: Letter) -> str:
    """The HTML letter's text as a browser or WeasyPrint lays it out (whitespace collapsed)."""
    body = letter_html(letter).split("<body>", 1)[1]
    return html.unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", "", body)))


def made(kind: str, options: dict[str, Any], recipient: Recipient, title: str | None) -> Letter:
    identity = Identity.model_validate(
        {
            "given_name": "Marie",
            "family_name": "Dupont",
            "title": title,
            "birth_date": "1980-05-17",
            "email": "marie.dupont@example.org",
            "postal_address": {
                "lines": ["12 rue des Lilas"],
                "postal_code": "75011",
                "city": "Paris",
            },
            "identifiers": {"Adresse e-mail du compte": "marie.dupont@example.org"},
        }
    )
    if kind == "cada-referral" and recipient.public is False:
        recipient = HAND_TYPED[0]
    return make_letter(
        kind,
        identity,
        recipient,
        OPTION_MODELS[kind].model_validate(options),
        TODAY,
        "fr",
        check_dates=False,
    )


@pytest.mark.parametrize("kind", list(OPTION_MODELS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_french_letters_keep_french_typography(kind: str, data: st.DataObject) -> None:
    options = data.draw(OPTIONS[kind], label="options")
    recipient = data.draw(RECIPIENTS, label="recipient")
    title = data.draw(TITLES, label="title")
    letter = made(kind, options, recipient, title)
    assert letter.lang == "fr"
    for output, text in (
        ("text", letter_text(letter)),
        ("email", letter_body_text(letter)),
        ("email subject", email_subject(letter)),
        ("html", html_text(letter)),
    ):
        assert french_faults(text) == [], output
        if title:
            assert AGREED.findall(text) == [], output
        for wrong in ("à Centre", "de Centre", "contre Centre", "inconnu", "relance :"):
            assert wrong not in text.replace("\u00a0", " "), (output, wrong)
        assert text.count("(") == text.count(")"), output


@pytest.mark.parametrize(
    ("text", "faults"),
    [
        ("Objet\u00a0: demande", 0),
        ("Objet : demande", 1),
        ("Objet: demande", 1),
        ("« texte »", 2),
        ("«\u00a0texte\u00a0»", 0),
        ("voir https://www.cnil.fr/fr/plaintes et 10:30", 0),
        ("a ;\nb ?", 2),
    ],
)
def test_the_typography_check_finds_what_it_must(text: str, faults: int) -> None:
    assert len(french_faults(text)) == faults
