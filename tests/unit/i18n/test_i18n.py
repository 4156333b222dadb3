"""Every user-facing string goes through gettext, and every one has its English translation."""

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from app.config import PROJECT_ROOT, TEMPLATES_DIR
from app.i18n import load_catalog, long_date, negotiate


def _messages_script() -> ModuleType:
    """scripts/messages.py, the translation check `make test` runs."""
    spec = importlib.util.spec_from_file_location(
        "messages_script", PROJECT_ROOT / "scripts" / "messages.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MESSAGES = _messages_script()


def extracted_messages() -> set[str]:
    return {
        message[0] if isinstance(message, tuple) else message
        for _filename, message in MESSAGES.extracted()
    }


def test_every_template_with_a_message_is_extracted() -> None:
    """_macros and _partials too: Babel skips folders starting with "_" unless told."""
    files = {Path(filename).as_posix() for filename, _message in MESSAGES.extracted()}
    with_messages = {
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in TEMPLATES_DIR.rglob("*.html")
        if re.search(r"""_\(\s*["']""", path.read_text(encoding="utf-8"))  # a message written out
    }
    assert "templates/_macros/forms.html" in with_messages
    assert sorted(with_messages - files) == []


def test_the_check_fails_on_a_message_without_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        MESSAGES, "extracted", lambda: [("templates/_macros/forms.html", "Pas encore traduit")]
    )
    monkeypatch.setattr("sys.argv", ["messages.py", "check"])
    assert MESSAGES.main() == 1


def test_every_message_has_an_english_translation() -> None:
    english = load_catalog("en")
    missing = sorted(m for m in extracted_messages() if m and not english.get(m))
    assert missing == [], f"{len(missing)} message(s) without English translation: {missing[:10]}"


def test_english_translations_keep_their_placeholders() -> None:
    for message in load_catalog("en"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\((\w+)\)s", " ".join(ids)))
        for translated in strings:
            assert set(re.findall(r"%\((\w+)\)s", translated)) == wanted, message.id


JINJA = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
TAG = re.compile(r"<[^>]*>", re.S)
# Proper nouns that are the same in every language; words without letters are symbols.
ALLOWED = {"English", "Français", "Reprise"}
LETTER = re.compile(r"[^\W\d_]")


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(TEMPLATES_DIR) for p in TEMPLATES_DIR.rglob("*.html")), ids=str
)
def test_templates_have_no_text_outside_gettext(template: Path) -> None:
    source = (TEMPLATES_DIR / template).read_text(encoding="utf-8")
    stripped = TAG.sub(" ", JINJA.sub(" ", source))
    leftovers = [word for word in stripped.split() if LETTER.search(word) and word not in ALLOWED]
    assert leftovers == [], f"untranslated text in {template}: {leftovers[:10]}"


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, "fr"),
        ("", "fr"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("de,en;q=0.5", "en"),
        ("fr-CA,en;q=0.8", "fr"),
        ("en;q=0.2,fr;q=0.9", "fr"),
        ("de", "fr"),
        ("x;q=abc", "fr"),
    ],
)
def test_accept_language_negotiation(header: str | None, locale: str) -> None:
    assert negotiate(header) == locale


def test_dates_as_written_in_letters() -> None:
    from datetime import date

    assert long_date(date(2026, 3, 1), "fr") == "1er mars 2026"
    assert long_date(date(2026, 3, 15), "fr") == "15 mars 2026"
    assert long_date(date(2026, 3, 1), "en") == "1 March 2026"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Objet : demande", "Objet\u00a0: demande"),
        ("Qui êtes-vous ?", "Qui êtes-vous\u00a0?"),
        ("« Dupond » ; ensuite !", "«\u00a0Dupond\u00a0»\u00a0; ensuite\u00a0!"),
        ("https://exemple.fr:8000", "https://exemple.fr:8000"),
        ("18:30", "18:30"),
    ],
)
def test_french_typography_never_leaves_a_lone_colon_or_question_mark(
    text: str, expected: str
) -> None:
    from app.i18n import french_spacing

    assert french_spacing(text) == expected


def test_what_people_type_is_never_respaced() -> None:
    from app.i18n import gettext, use_locale

    with use_locale("fr"):
        assert gettext("À %(city)s, le %(date)s", city="Paris : centre ?", date="1er mars") == (
            "À Paris : centre ?, le 1er mars"
        )
