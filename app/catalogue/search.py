"""Finding platforms by name, brand, alias or domain, whatever the accents and case."""

from __future__ import annotations

import unicodedata

from app.catalogue.loader import Catalogue
from app.catalogue.schema import Platform


def fold(text: str) -> str:
    """Lowercase, without accents or punctuation: 'Hôpital-Européen' -> 'hopital europeen'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        char if char.isalnum() else " " for char in decomposed if not unicodedata.combining(char)
    )
    return " ".join(kept.split())


def _names(platform: Platform) -> list[str]:
    return [
        platform.name,
        platform.legal_name or "",
        *platform.aliases,
        *platform.brands,
        *platform.domains,
    ]


def search_platforms(catalogue: Catalogue, query: str) -> list[Platform]:
    """Platforms whose names contain every word of the query; name matches first."""
    words = fold(query).split()
    if not words:
        return []
    scored: list[tuple[int, str, Platform]] = []
    for platform in catalogue.platforms:
        names = [fold(name) for name in _names(platform) if name]
        haystack = " ".join(names)
        if all(word in haystack for word in words):
            starts = any(name.startswith(words[0]) for name in names)
            scored.append((0 if starts else 1, platform.name.casefold(), platform))
    return [platform for *_key, platform in sorted(scored, key=lambda item: item[:2])]
