"""Tracking at scale: the dashboard query and the due-reminder scan over 100,000 proceedings, on
SQLite and PostgreSQL, with the migration's indexes and then without them (the baseline), in
one run. Target: both under 50 ms with the indexes.

python bench/bench_tracking.py [--rows N] [--postgres URL]
(URL: a server where the user may create databases; a temporary one is made and dropped. By
default REPRISE_TEST_DATABASE_URL, when set.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("REPRISE_VAR_DIR", tempfile.mkdtemp(prefix="reprise-bench-"))

from _postgres import on_each_database
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.clock import today
from app.db import make_engine
from app.migrate import upgrade
from app.models.base import utcnow
from app.models.organisation import PatientFile
from app.models.proceeding import Proceeding
from app.proceedings.events import Event
from app.proceedings.reminders import due_reminders
from app.proceedings.service import listing, view_of
from app.security.fields import seal

INDEXES = ("ix_proceeding_file_status_due", "ix_proceeding_next_reminder")
PER_FILE = 5
PLATFORMS = ("doctolib", "livi", "qare", "withings", "alan", "ameli")


def insert_files(engine: Engine, rows: int, now: dt.datetime) -> list[uuid.UUID]:
    """The patient files that `rows` proceedings go into, five to a file; their ids."""
    files = [uuid.uuid4() for _ in range(max(1, rows // PER_FILE))]
    file_table = PatientFile.__table__  # type: ignore[attr-defined]
    with engine.begin() as connection:
        for start in range(0, len(files), 5000):
            connection.execute(
                file_table.insert(),
                [
                    {"id": fid, "created_at": now, "updated_at": now}
                    for fid in files[start : start + 5000]
                ],
            )
    return files


def fill(engine: Engine, rows: int, seed: int = 7) -> list[uuid.UUID]:
    """`rows` proceedings in files of five; returns the file ids."""
    rng = random.Random(seed)
    day = today()
    now = utcnow()
    files = insert_files(engine, rows, now)
    table = Proceeding.__table__  # type: ignore[attr-defined]
    batch: list[dict[str, object]] = []
    for number in range(rows):
        pid = uuid.uuid4()
        draw = rng.random()
        status, due, reminder, moment = "waiting", None, None, None
        if draw < 0.2:
            status = "closed"
        elif draw < 0.3:
            status = "generated"
            reminder, moment = day + dt.timedelta(days=rng.randint(0, 30)), "unsent"
        elif draw < 0.4:
            status = "answered"
        else:
            due = day + dt.timedelta(days=rng.randint(-60, 90))
            reminder = max(day, due - dt.timedelta(days=7))
            moment = "before" if reminder < due else "due"
            # about one in a hundred reminders falls today, as on an ordinary day
            if rng.random() < 0.99:
                reminder = reminder + dt.timedelta(days=rng.randint(1, 30))
        row = Proceeding(
            id=pid,
            file_id=files[number % len(files)],
            status=status,
            due_on=due,
            next_reminder_on=reminder,
            next_reminder=moment,
            content_sealed=b"",
            events_sealed=b"",
            created_at=now,
            updated_at=now,
            closed_at=now if status == "closed" else None,
        )
        row.content_sealed = seal(
            row,
            "content_sealed",
            {"platform": rng.choice(PLATFORMS), "right": "access", "options": {}},
        )
        events = [Event(kind="generated", date=day - dt.timedelta(days=40), letter="access")]
        if status != "generated":
            events.append(Event(kind="sent", date=day - dt.timedelta(days=39), channel="email"))
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
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "ANALYZE" if engine.dialect.name == "sqlite" else "ANALYZE proceeding"
        )
    return files


def median_ms(work: Callable[[], object], repeat: int = 25) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def measure(engine: Engine, files: list[uuid.UUID], label: str) -> None:
    rng = random.Random(3)
    day = today()
    probes = [[rng.choice(files)] for _ in range(25)]
    association = rng.sample(files, 200)  # an association following 200 members
    with Session(engine) as db:
        found = iter(probes * 10)
        query = median_ms(lambda: listing(db, next(found)))
        pages = iter(probes * 10)
        page = median_ms(lambda: [view_of(p, day) for p in listing(db, next(pages))])
        helper = median_ms(lambda: listing(db, association), repeat=11)
        due = due_reminders(db, day)
        scan = median_ms(lambda: due_reminders(db, day), repeat=11)
    print(f"  {label}")
    print(f"    dashboard query, one person (5 proceedings)   {query:8.2f} ms")
    print(f"    dashboard page, query + unsealing + deadlines {page:8.2f} ms")
    print(f"    dashboard query, 200 members of an association {helper:7.2f} ms")
    print(f"    due-reminder scan ({len(due):>5} due)             {scan:8.2f} ms")


def drop_indexes(engine: Engine) -> None:
    with engine.begin() as connection:
        for name in INDEXES:
            connection.execute(text(f"DROP INDEX {name}"))
        connection.exec_driver_sql(
            "ANALYZE" if engine.dialect.name == "sqlite" else "ANALYZE proceeding"
        )


def run(url: str, rows: int, name: str) -> None:
    upgrade("head", url)
    engine = make_engine(url)
    try:
        began = time.perf_counter()
        files = fill(engine, rows)
        spent = time.perf_counter() - began
        print(f"{name}: {rows} proceedings in {len(files)} files (filled in {spent:.0f} s)")
        measure(engine, files, "with the indexes")
        drop_indexes(engine)
        measure(engine, files, "without them (baseline)")
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("REPRISE_TEST_DATABASE_URL", ""))
    args = parser.parse_args()
    on_each_database(lambda url, name: run(url, args.rows, name), "tracking", args.postgres)


if __name__ == "__main__":
    main()
