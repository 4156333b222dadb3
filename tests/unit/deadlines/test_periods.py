"""The legal periods are written once: the prose quotes the constants the deadlines are computed
with (app.deadlines.periods), never "un mois" or "huit jours" by hand."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from app.deadlines import periods
from app.i18n import use_locale
from app.letters.compose import followups
from app.letters.document import Recipient
from app.letters.identity import Identity
from app.letters.options import ReminderOptions
from app.letters.render import letter_text
from app.letters.service import make_letter
from tests.support.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT

MONTHS = {
    "GDPR_MONTHS": periods.GDPR_MONTHS,
    "GDPR_EXTENSION_MONTHS": periods.GDPR_EXTENSION_MONTHS,
    "GDPR_EXTENDED_MONTHS": periods.GDPR_EXTENDED_MONTHS,
    "MEDICAL_RECORD_LONG_MONTHS": periods.MEDICAL_RECORD_LONG_MONTHS,
    "REFERRAL_MONTHS": periods.REFERRAL_MONTHS,
    "SILENCE_MONTHS": periods.SILENCE_MONTHS,
    "CADA_OPINION_MONTHS": periods.CADA_OPINION_MONTHS,
}
DAYS = {"MEDICAL_RECORD_DAYS": periods.MEDICAL_RECORD_DAYS, "REMINDER_DAYS": periods.REMINDER_DAYS}


@pytest.mark.parametrize(
    ("name", "unit", "count"),
    [(name, "months", n) for name, n in MONTHS.items()]
    + [(name, "days", n) for name, n in DAYS.items()],
)
def test_every_period_the_rules_count_has_words_in_french_and_english(
    name: str, unit: str, count: int
) -> None:
    written = {}
    for lang in ("fr", "en"):
        with use_locale(lang):
            written[lang] = periods.period(**{unit: count})
    assert written["fr"] != written["en"], name
    assert written["fr"]
    assert written["en"]


def test_every_phrase_is_translated() -> None:
    for kind, entries in periods._PHRASES.items():
        for unit, count in entries:
            with use_locale("fr"):
                french = periods.phrase(kind, **{unit: count})
            with use_locale("en"):
                english = periods.phrase(kind, **{unit: count})
            assert french != english, (kind, unit, count)


# What the person reads about the deadlines: the explanations of a tracked request, the letters,
# the preview page and the pack's checklist.
QUOTING = [
    "app/proceedings/explain.py",
    "app/letters/packs.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app/letters/compose").glob("*.py")),
]
BY_HAND = re.compile(r"\b(un|deux|trois|huit|quinze) (mois|jours)\b|d'un mois")


def strings(path: Path) -> list[str]:
    return [
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


@pytest.mark.parametrize("module", QUOTING)
def test_the_prose_quotes_the_periods_instead_of_writing_them(module: str) -> None:
    assert [text for text in strings(ROOT / module) if BY_HAND.search(text)] == []


def test_the_preview_page_quotes_the_periods() -> None:
    text = (ROOT / "templates/letters/preview.html").read_text(encoding="utf-8")
    assert BY_HAND.findall(text) == []


IDENTITY = {
    "given_name": "Marie",
    "family_name": "Dupont",
    "email": "marie.dupont@example.org",
    "postal_address": {"lines": ["12 rue des Lilas"], "postal_code": "75011", "city": "Paris"},
}


def reminder_text(lang: str) -> str:
    letter = make_letter(
        "reminder",
        Identity.model_validate(IDENTITY),
        Recipient(name="Exemple SAS", address_lines=("1 rue de la Paix", "75002 Paris")),
        ReminderOptions(),
        date(2026, 3, 5),
        lang,
        check_dates=False,
    )
    return letter_text(letter)


def test_a_letter_states_the_period_the_rule_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were the wait a reminder announces eight days, the reminder would say so."""
    assert "dans les quinze jours" in reminder_text("fr")
    monkeypatch.setattr(followups, "REMINDER_DAYS", 8)
    assert "dans les huit jours" in reminder_text("fr")
    assert "within eight days" in reminder_text("en")
