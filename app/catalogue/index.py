"""An index of names: whole words, word starts, and words one typing mistake away.

One `NameIndex` serves the platform catalogue (a hundred records) and the FINESS establishments
(a hundred thousand rows): words point to the items that carry them, and a small index of
letter pairs finds the words one typing mistake away ("doctolbi" -> "doctolib") without
comparing the query with every word.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.catalogue.text import allowed_typos, typo_distance, words

EXACT, PREFIX, TYPO = 0, 1, 2
# Shorter prefixes match too many words to be useful.
MIN_PREFIX = 2
# An edit changes at most three letter pairs (a swap of neighbours), so a word one mistake
# away shares at least one of any four pairs of the query word.
PAIRS_TO_PROBE = 4


def _pairs(word: str) -> list[str]:
    padded = f"^{word}$"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


@dataclass(frozen=True)
class _WordMatches:
    """For one query word: the items it reaches, and how well (exact, prefix, typo)."""

    exact: set[int]
    prefix: set[int]
    typo: set[int]

    @property
    def items(self) -> set[int]:
        return self.exact | self.prefix | self.typo

    def rank(self, item: int) -> int:
        if item in self.exact:
            return EXACT
        return PREFIX if item in self.prefix else TYPO


class NameIndex:
    """Items (numbered 0..n-1) found by the words of their names."""

    def __init__(self, names: Iterable[Sequence[str]]) -> None:
        postings: dict[str, list[int]] = {}
        count = 0
        for item, item_names in enumerate(names):
            count = item + 1
            seen: set[str] = set()
            for name in item_names:
                for word in words(name):
                    if word not in seen:
                        seen.add(word)
                        postings.setdefault(word, []).append(item)
        self.size = count
        self.vocabulary: list[str] = sorted(postings)
        self._postings: dict[str, array[int]] = {
            word: array("I", items) for word, items in postings.items()
        }
        pairs: dict[str, list[int]] = {}
        for number, word in enumerate(self.vocabulary):
            if len(word) >= 4:
                for pair in set(_pairs(word)):
                    pairs.setdefault(pair, []).append(number)
        self._pairs: dict[str, array[int]] = {
            pair: array("I", numbers) for pair, numbers in pairs.items()
        }

    def _prefixed(self, word: str) -> list[str]:
        start = bisect_left(self.vocabulary, word)
        found: list[str] = []
        for candidate in self.vocabulary[start:]:
            if not candidate.startswith(word):
                break
            found.append(candidate)
        return found

    def _one_typo_away(self, word: str) -> list[str]:
        limit = allowed_typos(word)
        if not limit:
            return []
        probes = sorted(
            (pair for pair in set(_pairs(word)) if pair in self._pairs),
            key=lambda pair: len(self._pairs[pair]),
        )
        missing = len(set(_pairs(word))) - len(probes)
        if missing >= PAIRS_TO_PROBE:
            return []  # Every pair probed would be absent: nothing can be one mistake away.
        candidates: set[int] = set()
        for pair in probes[: PAIRS_TO_PROBE - missing]:
            candidates.update(self._pairs[pair])
        found: list[str] = []
        for number in candidates:
            candidate = self.vocabulary[number]
            if candidate != word and typo_distance(word, candidate, limit) <= limit:
                found.append(candidate)
        return found

    def _items(self, vocabulary_words: Iterable[str]) -> set[int]:
        items: set[int] = set()
        for word in vocabulary_words:
            items.update(self._postings[word])
        return items

    def _match_word(self, word: str) -> _WordMatches:
        exact = set(self._postings.get(word, ()))
        prefixed = [w for w in self._prefixed(word) if w != word] if len(word) >= MIN_PREFIX else []
        prefix = self._items(prefixed) - exact
        typo = self._items(self._one_typo_away(word)) - exact - prefix
        return _WordMatches(exact, prefix, typo)

    def search(self, query: str) -> dict[int, int]:
        """Items carrying every word of `query` (as a word, a word start or one mistake away).

        Returns item -> score, lower is better (0: every word found exactly).
        """
        query_words = list(dict.fromkeys(words(query)))
        if not query_words:
            return {}
        matches = [self._match_word(word) for word in query_words]
        matches.sort(key=lambda match: len(match.items))
        found = matches[0].items
        for match in matches[1:]:
            if not found:
                break
            found = found & match.items
        return {item: sum(match.rank(item) for match in matches) for item in found}
