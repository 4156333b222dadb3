"""Search latency: the catalogue plus 100,000 FINESS-like establishments, index against linear scan.

    .venv/bin/python bench/search.py [--rows 100000] [--queries 400]

Builds a temporary SQLite database, imports synthetic establishments through the real import,
then times the search the site uses (name index, then the matching rows read from the
database) and a plain linear scan with the same matching rules over the same rows. Prints the
median and 99th percentile of each. Target: median under 5 ms.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session

from app.catalogue.establishments import import_parsed, search_establishments
from app.catalogue.finess import EstablishmentRow, Parsed
from app.catalogue.loader import get_catalogue
from app.catalogue.search import search_platforms
from app.catalogue.text import allowed_typos, one_edit_apart, words
from app.db import make_engine
from app.migrate import upgrade

KINDS = [
    ("CENTRE HOSPITALIER", "355", "Centre Hospitalier (C.H.)"),
    ("CLINIQUE", "365", "Etablissement de Soins Pluridisciplinaire"),
    ("PHARMACIE", "620", "Pharmacie d'Officine"),
    ("PHARMACIE", "620", "Pharmacie d'Officine"),
    ("PHARMACIE", "620", "Pharmacie d'Officine"),
    ("LABORATOIRE", "611", "Laboratoire de Biologie Médicale"),
    ("EHPAD", "500", "Etablissement d'hébergement pour personnes âgées dépendantes"),
    ("CENTRE DE SANTE", "124", "Centre de Santé"),
    ("SSIAD", "354", "Service de Soins Infirmiers A Domicile"),
    ("CMP", "156", "Centre Médico-Psychologique"),
]
SYLLABLES = [consonant + vowel for consonant in "bcdfglmnprstv" for vowel in "aeiou"]
SAINTS = ["SAINT", "SAINTE", "NOTRE DAME", "DU PARC", "DES LILAS", "DU CENTRE", "DE LA GARE"]


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).upper()


def synthetic_rows(count: int, rng: random.Random) -> list[EstablishmentRow]:
    towns = [(word(rng, rng.randint(2, 4)), f"{rng.randint(1000, 97999):05d}") for _ in range(6000)]
    rows = []
    for number in range(count):
        kind, code, label = rng.choice(KINDS)
        town, postal = rng.choice(towns)
        extra = rng.choice([word(rng, 3), rng.choice(SAINTS) + " " + word(rng, 3), town])
        name = f"{kind} {extra}"
        rows.append(
            EstablishmentRow(
                finess=f"{number + 10000000:09d}",
                finess_ej=None,
                name=name[:38],
                long_name=f"{name} {town}"[:60],
                complement=None,
                distribution=None,
                street=f"{rng.randint(1, 200)} RUE {word(rng, 3)}",
                locality=None,
                postal_code=postal,
                town=town,
                department=postal[:2],
                department_name=None,
                phone=None,
                category_code=code,
                category_label=label,
                aggregate_code=None,
                aggregate_label=None,
                siret=None,
                public_status=None,
                updated_on=date(2026, 5, 12),
            )
        )
    return rows


def typo(text: str, rng: random.Random) -> str:
    if len(text) < 6:
        return text
    i = rng.randint(1, len(text) - 3)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def queries(rows: list[EstablishmentRow], count: int, rng: random.Random) -> list[tuple[str, str]]:
    platforms = get_catalogue().platforms
    found: list[tuple[str, str]] = []
    for n in range(count):
        row = rng.choice(rows)
        name_words = words(row.long_name or row.name)
        pick = n % 6
        if pick == 0:
            found.append((" ".join(name_words[-2:]), ""))  # two words of the name
        elif pick == 1:
            found.append((name_words[-2][:4], row.town))  # a word start, in a town
        elif pick == 2:
            found.append((typo(max(name_words, key=len), rng), ""))  # one typing mistake
        elif pick == 3:
            found.append((name_words[0], row.postal_code[:2]))  # a category, in a département
        elif pick == 4:
            found.append((rng.choice(platforms).name, ""))  # a catalogue platform
        else:
            found.append((typo(rng.choice(platforms).name.split()[0].lower(), rng), ""))
    return found


class LinearScan:
    """The same matching rules without an index: every row, every word, every query.

    A query word matches the words it starts; when no word anywhere starts with it, the words
    one typing mistake away (words of five letters or more), as the index does.
    """

    def __init__(self, rows: list[EstablishmentRow]) -> None:
        self.rows = [
            (
                row.finess,
                set(words(f"{row.name} {row.long_name or ''} {row.complement or ''}")),
                set(words(f"{row.town} {row.postal_code}")),
            )
            for row in rows
        ]

    @staticmethod
    def _word_test(word: str, column: list[set[str]]) -> Callable[[set[str]], bool]:
        if any(candidate.startswith(word) for row_words in column for candidate in row_words):
            return lambda row_words: any(candidate.startswith(word) for candidate in row_words)
        if not allowed_typos(word):
            return lambda row_words: False
        return lambda row_words: any(one_edit_apart(word, candidate) for candidate in row_words)

    def search(self, query: str, town: str) -> list[str]:
        names = [row[1] for row in self.rows]
        places = [row[2] for row in self.rows]
        name_tests = [self._word_test(word, names) for word in dict.fromkeys(words(query))]
        place_tests = [self._word_test(word, places) for word in dict.fromkeys(words(town))]
        return [
            finess
            for finess, name_words, place_words in self.rows
            if all(test(name_words) for test in name_tests)
            and all(test(place_words) for test in place_tests)
        ]


def current_rss_mib() -> float:
    """Resident memory now (Linux), in MiB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(label: str, timings: list[float]) -> None:
    ms = [t * 1000 for t in timings]
    print(
        f"{label:<46} median {statistics.median(ms):8.2f} ms   p99 {percentile(ms, 0.99):8.2f} ms"
        f"   ({len(ms)} queries)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--scan-queries", type=int, default=60, help="queries for the slow scan")
    args = parser.parse_args()
    rng = random.Random(20261128)
    rows = synthetic_rows(args.rows, rng)
    workload = queries(rows, args.queries, rng)
    catalogue = get_catalogue()

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade("head", url)
        engine = make_engine(url)
        with Session(engine) as db:
            started = time.perf_counter()
            import_parsed(db, Parsed(rows, [], date(2026, 5, 12), 0), "synthetic.csv")
            db.commit()
            print(f"import of {len(rows):,} rows: {time.perf_counter() - started:.2f} s")
            before = current_rss_mib()
            started = time.perf_counter()
            search_establishments(db, "warm up")
            built = time.perf_counter() - started
            print(f"index build (first search after an import): {built:.2f} s")
            print(f"memory taken by the index: about {current_rss_mib() - before:.0f} MiB")
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"peak memory of this process (synthetic rows included): {rss:.0f} MiB")

            indexed: list[float] = []
            results = 0
            for query, town in workload:
                started = time.perf_counter()
                found = search_establishments(db, query, town).establishments
                found_platforms = search_platforms(catalogue, query) if not town else []
                indexed.append(time.perf_counter() - started)
                results += len(found) + len(found_platforms)
        engine.dispose()

    scan = LinearScan(rows)
    scanned: list[float] = []
    for query, town in workload[: args.scan_queries]:
        started = time.perf_counter()
        scan.search(query, town)
        scanned.append(time.perf_counter() - started)

    print()
    print(
        f"{len(rows):,} FINESS-like rows + {len(catalogue)} catalogue records, one process, SQLite"
    )
    report("index (names index + rows read from SQLite)", indexed)
    report("plain linear scan (same rules, no index)", scanned)
    print(f"results returned by the indexed search: {results}")
    median = statistics.median(indexed) * 1000
    print(f"target median < 5 ms: {'met' if median < 5 else 'NOT met'} ({median:.2f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
