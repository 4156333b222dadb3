"""The legal periods are written once: the prose quotes the constants the deadlines are computed
with (app.deadlines.periods), never "un mois" or "huit jours" by hand."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.deadlines import periods
from app.i18n import use_locale
from app.letters.compose import common

ROOT = Path(__file__).resolve().parent.parent

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
            written[lang] = (
                periods.period(**{unit: count}),
                periods.period_of(**{unit: count}),
            )
    assert written["fr"] != written["en"], name
    assert all(written["fr"]) and all(written["en"])


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


def test_a_letter_states_the_period_the_rule_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were the GDPR period two months, the first requests would say so in both languages."""

    def deadline_text() -> str:
        return "".join(str(part) for part in common.gdpr_deadline_paragraph().parts)

    assert "dans un délai d'un mois à compter" in deadline_text()
    monkeypatch.setattr(common, "GDPR_MONTHS", 2)
    assert "dans un délai de deux mois à compter" in deadline_text()
    with use_locale("en"):
        assert "within two months of receiving this request" in deadline_text()
