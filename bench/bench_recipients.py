"""Proceedings to organisations outside the catalogue cost what proceedings to platforms cost:
the view a page, the API or a reminder builds (unsealing, the recipient, deadlines, next step,
CADA date) and the recipient key `find_open` compares, for organisations (FINESS, SIREN,
typed) and, as the baseline in the same run, for catalogue platforms.

python bench/bench_recipients.py [--rows N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("REPRISE_VAR_DIR", tempfile.mkdtemp(prefix="reprise-bench-"))

from app.clock import today
from app.letters.addressees import addressee_of
from app.models.base import utcnow
from app.models.proceeding import Proceeding
from app.proceedings.events import Event
from app.proceedings.service import content_of, view_of
from app.security.fields import seal

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "name": "Hôpital d'Exemple de Strasbourg",
        "address_lines": ["1 place de l'Exemple", "67091 Strasbourg Cedex"],
        "email": None,
        "siren": None,
        "finess": "670000000",
        "category": "hospital",
        "public": True,
    },
    {
        "name": "Société d'Exemple",
        "address_lines": ["2 rue de l'Exemple", "75008 Paris"],
        "email": None,
        "siren": "552100554",
        "finess": None,
        "category": None,
        "public": None,
    },
    {
        "name": "Cabinet du Dr Exemple",
        "address_lines": ["Cabinet médical", "3 avenue de l'Exemple", "57000 Metz"],
        "email": None,
        "siren": None,
        "finess": None,
        "category": "practitioner",
        "public": None,
    },
]
PLATFORMS = ("doctolib", "livi", "qare")


def proceedings(rows: int, recipients: list[dict[str, Any]]) -> list[Proceeding]:
    day = today()
    now = utcnow()
    out = []
    for number in range(rows):
        row = Proceeding(
            id=uuid.uuid4(),
            file_id=uuid.uuid4(),
            status="waiting",
            content_sealed=b"",
            events_sealed=b"",
            created_at=now,
            updated_at=now,
        )
        recipient = recipients[number % len(recipients)]
        row.content_sealed = seal(
            row, "content_sealed", {**recipient, "right": "medical-record", "options": {}}
        )
        events = [
            Event(kind="generated", date=day - dt.timedelta(days=40), letter="medical-record"),
            Event(kind="sent", date=day - dt.timedelta(days=39), channel="post"),
        ]
        row.events_sealed = seal(
            row, "events_sealed", [e.model_dump(mode="json", exclude_defaults=True) for e in events]
        )
        out.append(row)
    return out


def median_ms(work: Callable[[], object], repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    day = today()
    platforms = proceedings(args.rows, [{"platform": slug} for slug in PLATFORMS])
    organisations = proceedings(args.rows, [{"organisation": o} for o in ORGANISATIONS])
    print(f"{args.rows} medical-record proceedings each, median of 7 runs")
    for label, rows in (
        ("catalogue platforms (baseline)", platforms),
        ("organisations", organisations),
    ):
        views = median_ms(lambda rows=rows: [view_of(p, day) for p in rows])
        keys = median_ms(lambda rows=rows: [addressee_of(content_of(p)).key for p in rows])
        print(f"  {label}")
        print(f"    views (unseal, recipient, deadline, next step, CADA) {views:9.1f} ms")
        print(f"    recipient keys, as find_open compares them          {keys:9.1f} ms")


if __name__ == "__main__":
    main()
