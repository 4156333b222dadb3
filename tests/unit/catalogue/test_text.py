"""Folding and typo distance: the arithmetic under search, checked against a plain reference."""

from hypothesis import given
from hypothesis import strategies as st

from app.catalogue.index import NameIndex
from app.catalogue.text import fold, one_edit_apart, typo_distance

SMALL = st.text(alphabet="abcde", max_size=7)


def reference_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, the textbook way (no early exit)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@given(SMALL, SMALL, st.integers(min_value=0, max_value=3))
def test_typo_distance_agrees_with_the_reference(a: str, b: str, limit: int) -> None:
    assert typo_distance(a, b, limit) == min(reference_distance(a, b), limit + 1)


@given(SMALL, SMALL)
def test_typo_distance_is_symmetric(a: str, b: str) -> None:
    assert typo_distance(a, b, 3) == typo_distance(b, a, 3)


@given(st.text(max_size=40))
def test_fold_is_idempotent_and_plain(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == folded.strip()
    assert all(char.isalnum() or char == " " for char in folded)


def test_fold_examples() -> None:
    assert fold("Hôpital-Européen  Georges") == "hopital europeen georges"
    assert fold("Cœur & Santé") == "coeur sante"
    assert fold("L'ÉTÉ") == "l ete"


@given(st.lists(st.text(alphabet="abcdefgh", min_size=4, max_size=9), min_size=1, max_size=40))
def test_the_index_finds_what_a_full_scan_finds(names: list[str]) -> None:
    """Word starts first; only when none, every word one typing mistake away (never more)."""
    index = NameIndex([name] for name in names)
    queries = set()
    for word in names:
        queries |= {word, word[:-1], word[0] + word[2:], word[1] + word[0] + word[2:], word + "h"}
    for query in queries:
        starts = {number for number, name in enumerate(names) if name.startswith(query)}
        if starts or len(query) < 5:
            expected = starts if len(query) >= 1 else set()
        else:
            expected = {n for n, name in enumerate(names) if typo_distance(query, name, 1) <= 1}
        assert set(index.search(query)) == expected, (query, names)


def test_typos_are_looked_for_only_when_nothing_matches() -> None:
    index = NameIndex([["doctolib"], ["doctolbi"], ["withings"]])
    assert set(index.search("doctolbi")) == {1}  # the exact word wins
    assert set(index.search("withigns")) == {2}
    assert index.search("dcotlobi") == {}  # two mistakes from each
    assert index.one_typo_away("withngs") == ["withings"]


@given(SMALL, SMALL)
def test_one_edit_apart_is_distance_one(a: str, b: str) -> None:
    assert one_edit_apart(a, b) == (reference_distance(a, b) == 1)
