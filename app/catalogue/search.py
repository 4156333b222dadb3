"""Finding platforms by name, brand, alias or domain, whatever the accents, case and typos."""

from __future__ import annotations

from app.catalogue.loader import Catalogue
from app.catalogue.schema import Platform
from app.catalogue.text import fold

__all__ = ["fold", "search_platforms"]


def search_platforms(catalogue: Catalogue, query: str) -> list[Platform]:
    """Platforms whose names carry every word of the query, best matches first.

    Names are the name, legal name, aliases, brands and domains; accents, case and punctuation
    do not count, a word may be typed in part, and words of five letters or more may carry one
    typing mistake ("doctolbi" finds Doctolib).
    """
    scores = catalogue.index.search(query)
    first = fold(query).split()[:1]

    def key(item: int) -> tuple[int, int, str]:
        platform = catalogue.platforms[item]
        starts = bool(first) and fold(platform.name).startswith(first[0])
        return (scores[item], 0 if starts else 1, platform.name.casefold())

    return [catalogue.platforms[item] for item in sorted(scores, key=key)]
