"""An index of names: whole words, word starts, and words one typing mistake away.

One `NameIndex` serves the platform catalogue (a hundred records) and the FINESS establishments
(a hundred thousand rows). Words point to the items that carry them. A query word matches the
words it equals or starts; only when it matches none does the index look for words one typing
mistake away ("doctolbi" -> "doctolib"). Those are found without comparing the query with every
word: a single mistake leaves either the first or the last letters of a word untouched (two
letters for words of five or six letters, three from seven), so words are also filed by their
first and last letters and their length, and only those few are compared.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.catalogue.text import allowed_typos, one_edit_apart, words

EXACT, PREFIX, TYPO = 0, 1, 2
# Shorter prefixes match too many words to be useful.
MIN_PREFIX = 2


def _affix_length(length: int) -> int:
    return 2 if length < 7 else 3


def _affix_keys(word: str) -> list[tuple[str, int]]:
    """Where a word is filed for typo look-ups: its first and last letters, and its length."""
    keys = []
    for size in (2, 3):
        keys.append((f"^{word[:size]}", len(word)))
        keys.append((f"{word[-size:]}$", len(word)))
    return keys


@dataclass(frozen=True)
class WordMatches:
    """For one query word: the items it reaches exactly, by a word start, or by a typo."""

    exact: frozenset[int]
    prefix: frozenset[int]
    typo: frozenset[int]

    @property
    def items(self) -> frozenset[int]:
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
        filed: dict[tuple[str, int], list[int]] = {}
        for number, word in enumerate(self.vocabulary):
            if len(word) >= 4:
                for key in _affix_keys(word):
                    filed.setdefault(key, []).append(number)
        self._filed: dict[tuple[str, int], array[int]] = {
            key: array("I", numbers) for key, numbers in filed.items()
        }

    def _prefixed(self, word: str) -> list[str]:
        start = bisect_left(self.vocabulary, word)
        found: list[str] = []
        for candidate in self.vocabulary[start:]:
            if not candidate.startswith(word):
                break
            found.append(candidate)
        return found

    def one_typo_away(self, word: str) -> list[str]:
        """Vocabulary words one typing mistake from `word` (none for short words)."""
        limit = allowed_typos(word)
        if not limit:
            return []
        size = _affix_length(len(word))
        candidates: set[int] = set()
        for length in (len(word) - 1, len(word), len(word) + 1):
            candidates.update(self._filed.get((f"^{word[:size]}", length), ()))
            candidates.update(self._filed.get((f"{word[-size:]}$", length), ()))
        # Typo tolerance is one mistake at most (allowed_typos), checked without a full table.
        assert limit == 1
        return [
            self.vocabulary[number]
            for number in candidates
            if one_edit_apart(word, self.vocabulary[number])
        ]

    def _items(self, vocabulary_words: Iterable[str]) -> set[int]:
        items: set[int] = set()
        for word in vocabulary_words:
            items.update(self._postings[word])
        return items

    def match_word(self, word: str) -> WordMatches:
        exact = frozenset(self._postings.get(word, ()))
        prefixed = [w for w in self._prefixed(word) if w != word] if len(word) >= MIN_PREFIX else []
        prefix = frozenset(self._items(prefixed)) - exact
        if exact or prefix:
            return WordMatches(exact, prefix, frozenset())
        return WordMatches(exact, prefix, frozenset(self._items(self.one_typo_away(word))))

    def match(self, query: str) -> list[WordMatches]:
        """How each word of the query matches (empty when the query has no word).

        Stops at the first word that matches nothing: no item can carry every word then.
        """
        matches: list[WordMatches] = []
        for word in dict.fromkeys(words(query)):
            match = self.match_word(word)
            matches.append(match)
            if not match.items:
                break
        return matches

    def search(self, query: str) -> dict[int, int]:
        """Items carrying every word of `query` (as a word, a word start or one mistake away).

        Returns item -> score, lower is better (0: every word found exactly).
        """
        matches = self.match(query)
        found = matching_items(matches)
        return {item: sum(match.rank(item) for match in matches) for item in found}


def matching_items(matches: Sequence[WordMatches]) -> set[int]:
    """Items matched by every query word."""
    if not matches:
        return set()
    ordered = sorted(matches, key=lambda match: len(match.items))
    found = set(ordered[0].items)
    for match in ordered[1:]:
        if not found:
            break
        found &= match.items
    return found


def best_items(matches: Sequence[WordMatches], found: set[int], limit: int) -> list[int]:
    """The `limit` best of `found`: every word exact first, then word starts, then typos.

    Within a level, lower item numbers first (number items in the order to show them).
    """
    exact = set(found)
    loose = set(found)
    for match in matches:
        exact &= match.exact
        loose &= match.exact | match.prefix
    best: list[int] = heapq.nsmallest(limit, exact)
    if len(best) < limit:
        best += heapq.nsmallest(limit - len(best), loose - exact)
    if len(best) < limit:
        best += heapq.nsmallest(limit - len(best), found - loose)
    return best
