"""Backup and restore time and size, against a plain file copy as the baseline.

python bench/bench_backup.py [--rows N] [--postgres URL]
(URL: a server where the user may create databases; a temporary one is made and dropped.)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _postgres import postgres_database
from sqlmodel import Session

from app.backup import backup_database, restore_database
from app.db import make_engine
from app.migrate import upgrade
from app.models.base import utcnow
from app.models.session import Draft, WebSession


def fill(url: str, rows: int) -> None:
    upgrade("head", url)
    engine = make_engine(url)
    now = utcnow()
    with Session(engine) as db:
        for number in range(rows):
            web = WebSession(
                token_hash=hashlib.sha256(str(number).encode()).hexdigest(),
                expires_at=now + timedelta(days=1),
            )
            db.add(web)
            db.flush()
            db.add(Draft(session_id=web.id, payload=os.urandom(4000), expires_at=now))
        db.commit()
    engine.dispose()


def timed(label: str, work: object) -> float:
    assert callable(work)
    began = time.perf_counter()
    work()
    spent = time.perf_counter() - began
    print(f"{label:<40} {spent * 1000:9.1f} ms")
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--postgres", default=os.environ.get("REPRISE_TEST_DATABASE_URL", ""))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = f"sqlite:///{work / 'source.db'}"
        fill(source, args.rows)
        size = (work / "source.db").stat().st_size
        print(f"SQLite: {args.rows} sessions and drafts, {size / 1e6:.1f} MB")
        base = timed("baseline: file copy", lambda: shutil.copyfile(work / "source.db", work / "c"))
        spent = timed("reprise backup", lambda: backup_database(source, work / "b"))
        timed(
            "reprise restore (fresh database)",
            lambda: restore_database(f"sqlite:///{work / 'r.db'}", work / "b"),
        )
        print(f"backup / file copy: {spent / base:.1f}x (backup checks integrity and fsyncs)")
        if args.postgres:
            run = uuid.uuid4().hex[:8]
            src = postgres_database(args.postgres, f"bench_src_{run}", True)
            dst = postgres_database(args.postgres, f"bench_dst_{run}", True)
            try:
                fill(src, args.rows)
                print(f"PostgreSQL: {args.rows} sessions and drafts")
                timed("reprise backup (pg_dump -Fc)", lambda: backup_database(src, work / "p"))
                print(f"{'archive size':<40} {(work / 'p').stat().st_size / 1e6:9.1f} MB")
                timed(
                    "reprise restore (psql, one transaction)",
                    lambda: restore_database(dst, work / "p"),
                )
            finally:
                postgres_database(args.postgres, f"bench_src_{run}", False)
                postgres_database(args.postgres, f"bench_dst_{run}", False)


if __name__ == "__main__":
    main()
