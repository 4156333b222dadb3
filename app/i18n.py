"""Translations: French is the source language, English the second; used by pages and letters."""

from __future__ import annotations

import gettext as _gettext
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES: tuple[str, ...] = ("fr", "en")
DEFAULT_LOCALE = "fr"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"

_current: ContextVar[str] = ContextVar("reprise_locale", default=DEFAULT_LOCALE)


def load_catalog(locale: str) -> Catalog:
    """Every `.po` file of a locale merged into one catalog (one file per feature)."""
    merged = Catalog(locale=locale)
    for path in sorted((TRANSLATIONS_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            part = read_po(handle, locale=locale)
        for message in part:
            if message.id and message.string and not message.fuzzy:
                merged[message.id] = message
    return merged


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> _gettext.NullTranslations:
    """The translations of `locale`; French needs none (messages are written in French)."""
    if locale == DEFAULT_LOCALE or locale not in LOCALES:
        return _gettext.NullTranslations()
    buffer = BytesIO()
    write_mo(buffer, load_catalog(locale))
    buffer.seek(0)
    return Translations(buffer)


def get_locale() -> str:
    return _current.get()


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Translate into `locale` inside the block (a page, a letter)."""
    token = _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def set_locale(locale: str) -> None:
    """Set the locale of the current context (one request)."""
    _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


_FRENCH_SPACES = re.compile(r" ([:;!?»])|(«) ")


def french_spacing(text: str) -> str:
    """French typography: a no-break space before : ; ! ? » and after «, so that a colon or a
    question mark never starts a line on its own. (The plain no-break space, not the narrow
    one: the letters' font has a glyph for it.)"""
    return _FRENCH_SPACES.sub(lambda m: f"\u00a0{m.group(1)}" if m.group(1) else "«\u00a0", text)


def gettext(message: str, **variables: object) -> str:
    """Translate `message` into the current locale, then fill `%(name)s` variables.

    French messages get French typographic spaces; the variables (what people typed) are
    filled in afterwards, unchanged.
    """
    text = _translated(_current.get(), message)
    return text % variables if variables else text


@lru_cache(maxsize=8192)
def _translated(locale: str, message: str) -> str:
    """A message in `locale`, typography applied: looked up once per language (a page asks
    for dozens of them)."""
    text = translations(locale).gettext(message)
    return french_spacing(text) if locale == "fr" else text


_ = gettext


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    locale = _current.get()
    text = translations(locale).ngettext(singular, plural, n)
    if locale == "fr":
        text = french_spacing(text)
    return text % {"num": n, **variables}


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with gettext()."""
    return message


def long_date(day: date, locale: str | None = None) -> str:
    """A date as written in a letter: '1er mars 2026', '1 March 2026' (the European order)."""
    locale = locale or _current.get()
    if locale == "fr":
        text = format_date(day, "d MMMM y", locale="fr")
        return "1er" + text[1:] if day.day == 1 else text
    return format_date(day, "d MMMM y", locale=locale)


def month_names() -> list[tuple[int, str]]:
    """(number, name) of the twelve months in the current language: (1, 'janvier')."""
    names = Locale.parse(_current.get()).months["format"]["wide"]
    return [(number, str(names[number])) for number in range(1, 13)]


def negotiate(accept_language: str | None) -> str:
    """The best supported locale for an Accept-Language header (French when unsure)."""
    if not accept_language:
        return DEFAULT_LOCALE
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()[:2]))
    for _q, _p, language in sorted(ranked):
        if language in LOCALES:
            return language
    return DEFAULT_LOCALE
