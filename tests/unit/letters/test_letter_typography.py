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

from app.letters.document import Letter, Recipient
from app.letters.email import email_subject
from app.letters.identity import Identity
from app.letters.kinds import OPTION_MODELS
from app.letters.render import letter_body_text, letter_html, letter_text
from app.letters.service import make_letter
from tests.support.letter_strategies import (
    HAND_TYPED,
    OPTIONS,
    RECIPIENTS,
)

TODAY = date(2026, 12, 5)
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
