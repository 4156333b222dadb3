"""The job runner: plan what is due, claim one job at a time, run it once.

Each job is a row keyed by (kind, subject, due): planning the same work twice inserts nothing.
Claiming takes a lease: `FOR UPDATE SKIP LOCKED` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite.
A job's effects and its `done_at` are written in one transaction, fenced by the attempt
number, so a runner whose lease ran out cannot mark done what another runner took over.
New kinds (reminders, ...) register a `JobKind`; nothing else changes.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models.base import utcnow
from app.models.job import Job

logger = logging.getLogger("reprise.jobs")
T = TypeVar("T")
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Planned:
    subject: str
    due: str
    run_after: datetime


@dataclass(frozen=True)
class JobKind:
    """plan(db, now) lists what is due; run(db, subject, now) does one (in a transaction)."""

    name: str
    plan: Callable[[Session, datetime], Iterable[Planned]]
    run: Callable[[Session, str, datetime], None]


KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> None:
    KINDS[kind.name] = kind


@dataclass
class Report:
    planned: int = 0
    done: dict[str, int] = field(default_factory=dict)
    failed: int = 0


def _insert(engine: Engine) -> Any:
    return (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)(Job)


def plan(engine: Engine, now: datetime) -> int:
    """Insert a row for every due job not yet known; returns how many were new."""
    count = 0
    for kind in list(KINDS.values()):
        with Session(engine) as db:
            due = list(kind.plan(db, now))
        if not due:
            continue
        with engine.begin() as connection:
            for item in due:
                statement = (
                    _insert(engine)
                    .values(
                        id=uuid.uuid4(),
                        kind=kind.name,
                        subject=item.subject,
                        due=item.due,
                        run_after=item.run_after,
                        attempts=0,
                        created_at=now,
                    )
                    .on_conflict_do_nothing(index_elements=["kind", "subject", "due"])
                )
                count += connection.execute(statement).rowcount or 0
    return count


def _claimable(now: datetime) -> Any:
    table = Job.__table__  # type: ignore[attr-defined]
    return (
        select(table.c.id, table.c.kind, table.c.subject, table.c.attempts)
        .where(
            table.c.done_at.is_(None),
            table.c.run_after <= now,
            table.c.attempts < MAX_ATTEMPTS,
            or_(table.c.lease_until.is_(None), table.c.lease_until < now),
        )
        .order_by(table.c.run_after)
        .limit(1)
    )


def _take(connection: Connection, row: Any, now: datetime) -> tuple[uuid.UUID, str, str, int]:
    table = Job.__table__  # type: ignore[attr-defined]
    attempt = int(row.attempts) + 1
    connection.execute(
        update(table).where(table.c.id == row.id).values(lease_until=now + LEASE, attempts=attempt)
    )
    return row.id, row.kind, row.subject, attempt


def claim_first(engine: Engine, query: Any, take: Callable[[Connection, Any], T]) -> T | None:
    """Lock the first row of `query` that no other runner holds and `take` it, in one short
    transaction: `FOR UPDATE SKIP LOCKED` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            row = connection.execute(query.with_for_update(skip_locked=True)).first()
            return None if row is None else take(connection, row)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        # BEGIN IMMEDIATE takes SQLite's write lock first: two runners cannot claim one row.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            row = connection.execute(query).first()
            claimed = None if row is None else take(connection, row)
            connection.exec_driver_sql("COMMIT")
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise
        return claimed


def claim(engine: Engine, now: datetime) -> tuple[uuid.UUID, str, str, int] | None:
    """Lease one due job to this runner, or None when nothing is left."""
    return claim_first(engine, _claimable(now), lambda connection, row: _take(connection, row, now))


def execute(engine: Engine, claimed: tuple[uuid.UUID, str, str, int], now: datetime) -> bool:
    """Run one claimed job; its effects and done_at commit together, or not at all."""
    job_id, kind_name, subject, attempt = claimed
    kind = KINDS.get(kind_name)
    if kind is None:
        return False
    table = Job.__table__  # type: ignore[attr-defined]
    mine = and_(table.c.id == job_id, table.c.attempts == attempt, table.c.done_at.is_(None))
    with Session(engine, expire_on_commit=False) as db:
        try:
            # Fence first: this write locks the row (PostgreSQL) or the database (SQLite) until
            # commit, and finds nothing when another runner has taken the job over.
            held = db.execute(update(table).where(mine).values(lease_until=now + LEASE))
            if not getattr(held, "rowcount", 0):
                db.rollback()
                return False
            kind.run(db, subject, now)
            db.execute(update(table).where(mine).values(done_at=utcnow(), lease_until=None))
            db.commit()
            return True
        except Exception as exc:
            db.rollback()
            logger.error("job %s failed: %s", kind_name, type(exc).__name__)
            return False


def run_due(engine: Engine, now: datetime | None = None, limit: int = 10_000) -> Report:
    """Plan, then run every due job once. Safe to call from several processes at once."""
    now = now or utcnow()
    report = Report(planned=plan(engine, now))
    for _ in range(limit):
        claimed = claim(engine, now)
        if claimed is None:
            break
        if execute(engine, claimed, now):
            report.done[claimed[1]] = report.done.get(claimed[1], 0) + 1
        else:
            report.failed += 1
    if report.done or report.failed:
        logger.info("jobs: %s done, %s failed", sum(report.done.values()), report.failed)
    return report
