"""The observatory at scale: 100,000 tracked requests on SQLite and PostgreSQL; the figures of
all organisations and of one, from the summary kept by the events (with its indexes, then
without them), against recomputing from scratch (unsealing and replaying every request, which
one organisation's figures need too: the recipient is sealed). Targets: all < 200 ms, one
< 10 ms.

python bench/observatory.py [--rows N] [--postgres URL] [--no-sqlite]
(URL: a server where the user may create databases; a temporary one is made and dropped. By
default REPRISE_TEST_DATABASE_URL, when set.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("REPRISE_VAR_DIR", tempfile.mkdtemp(prefix="reprise-bench-"))

from _postgres import on_each_database
from bench_tracking import PER_FILE, insert_files, median_ms
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.catalogue.loader import get_catalogue
from app.clock import today
from app.db import make_engine
from app.migrate import upgrade
from app.models.base import utcnow
from app.models.proceeding import Proceeding
from app.observatory.facts import unpublish
from app.observatory.figures import compute, figures_date, organisation_scope
from app.observatory.published import publish, published, published_for
from app.proceedings.events import Event
from app.proceedings.observatory import rebuild
from app.security.fields import seal

INDEXES = ("ix_observatory_fact_counted", "ix_observatory_fact_organisation")
RIGHTS = ("access", "erasure", "objection", "medical-record")


def _events(rng: random.Random, right: str, sent: dt.date) -> list[Event]:
    """A plausible history: sent; maybe a reminder; maybe an answer; maybe a complaint."""
    events = [
        Event(kind="generated", date=sent, letter=right),
        Event(kind="sent", date=sent, channel=rng.choice(("email", "post", "web-form"))),
    ]
    answer_after = rng.choice((None, None, *range(2, 120)))
    if (answer_after is None or answer_after > 33) and rng.random() < 0.5:
        events.append(Event(kind="reminder", date=sent + dt.timedelta(days=32), channel="email"))
    last = sent + dt.timedelta(days=33)
    outcome = None
    if answer_after is not None:
        outcome = rng.choices(("complete", "incomplete", "refusal"), (7, 2, 1))[0]
        last = sent + dt.timedelta(days=answer_after)
        events.append(Event(kind="answer", date=last, outcome=outcome))
    if outcome in {None, "refusal", "incomplete"} and rng.random() < 0.3:
        events.append(Event(kind="complaint", date=last + dt.timedelta(days=5), authority="cnil"))
    return [e for e in events if e.date <= today()]


def fill(engine: Engine, rows: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    day = today()
    now = utcnow()
    slugs = [p.slug for p in get_catalogue().platforms]
    weights = [1 / (rank + 1) for rank in range(len(slugs))]  # a few platforms get most requests
    files = insert_files(engine, rows, now)
    table = Proceeding.__table__  # type: ignore[attr-defined]
    batch: list[dict[str, object]] = []
    for number in range(rows):
        right = rng.choice(RIGHTS)
        sent = day - dt.timedelta(days=rng.randint(10, 730))
        events = _events(rng, right, sent)
        row = Proceeding(
            id=uuid.uuid4(),
            file_id=files[number % len(files)],
            status="waiting",
            content_sealed=b"",
            events_sealed=b"",
            created_at=now,
            updated_at=now,
        )
        platform = rng.choices(slugs, weights)[0]
        row.content_sealed = seal(
            row, "content_sealed", {"platform": platform, "right": right, "options": {}}
        )
        row.events_sealed = seal(
            row, "events_sealed", [e.model_dump(mode="json", exclude_defaults=True) for e in events]
        )
        batch.append({c.name: getattr(row, c.name) for c in table.columns})
        if len(batch) == 5000:
            with engine.begin() as connection:
                connection.execute(table.insert(), batch)
            batch = []
    if batch:
        with engine.begin() as connection:
            connection.execute(table.insert(), batch)


def analyse(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "ANALYZE" if engine.dialect.name == "sqlite" else "ANALYZE observatory_fact"
        )


def measure(engine: Engine, label: str) -> None:
    with Session(engine) as db:
        figures = compute(db)
        busiest = max(figures.cells, key=lambda c: c.requests, default=None)
        biggest = busiest.slug or "doctolib" if busiest else "doctolib"
        every = median_ms(lambda: compute(db), repeat=5)
        one = median_ms(lambda: compute(db, organisation_scope(biggest)), repeat=11)
        quiet = median_ms(lambda: compute(db, organisation_scope("ipharm")), repeat=11)
        unpublish(db)
        db.commit()
        began = time.perf_counter()
        publish(db, figures_date())  # what the job observatory-publish does
        db.commit()
        publishing = (time.perf_counter() - began) * 1000
        read_all = median_ms(lambda: published(db), repeat=25)
        read_one = median_ms(lambda: published_for(db, f"platform:{biggest}"), repeat=101)
    print(f"  {label} ({len(figures.cells)} published cells; busiest: {biggest})")
    print(f"    computed from the summary: all organisations  {every:9.2f} ms")
    print(f"    computed from the summary: the busiest one    {one:9.2f} ms")
    print(f"    computed from the summary: a quiet one        {quiet:9.2f} ms")
    print(f"    publishing (the job: computing, storing cells) {publishing:8.2f} ms")
    print(f"    published cells, all organisations            {read_all:9.2f} ms")
    print(f"    published cells, the busiest one              {read_one:9.2f} ms")


def run(url: str, rows: int, name: str) -> None:
    upgrade("head", url)
    engine = make_engine(url)
    try:
        began = time.perf_counter()
        fill(engine, rows)
        spent = time.perf_counter() - began
        print(
            f"{name}: {rows} tracked requests, {rows // PER_FILE} persons (filled in {spent:.0f} s)"
        )
        with Session(engine) as db:
            began = time.perf_counter()
            count = rebuild(db)
            db.commit()
            built = time.perf_counter() - began
        analyse(engine)
        print(f"  summary rows: {count} (the others are not sent, or their period is suspended)")
        print(
            "  recomputing from scratch (unseal and replay every request, write the summary: "
            f"reprise observatory rebuild) {built * 1000:9.0f} ms"
        )
        measure(engine, "from the summary, with its indexes")
        with engine.begin() as connection:
            for index in INDEXES:
                connection.execute(text(f"DROP INDEX {index}"))
        analyse(engine)
        measure(engine, "from the summary, without its indexes (baseline)")
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("REPRISE_TEST_DATABASE_URL", ""))
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    on_each_database(
        lambda url, name: run(url, args.rows, name),
        "observatory",
        args.postgres,
        sqlite=not args.no_sqlite,
    )


if __name__ == "__main__":
    main()
