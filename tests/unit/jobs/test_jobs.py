"""The job runner: one row per (kind, subject, due); several runners at once; a runner that
dies mid-job leaves the job to another once its lease is over."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.jobs.runner import KINDS, LEASE, JobKind, Planned, claim, execute, register_kind, run_due
from app.models.base import utcnow
from app.models.job import Job


@pytest.fixture
def counting() -> Iterator[list[str]]:
    """A job kind that records each run: 40 subjects due now."""
    runs: list[str] = []
    lock = threading.Lock()
    saved = dict(KINDS)
    KINDS.clear()

    def plan(db: Session, now: datetime) -> list[Planned]:
        return [Planned(f"s{i}", "2026-01-01", now) for i in range(40)]

    def run(db: Session, subject: str, now: datetime) -> None:
        with lock:
            runs.append(subject)

    register_kind(JobKind("count", plan, run))
    yield runs
    KINDS.clear()
    KINDS.update(saved)


def jobs(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(Job)).scalar_one())


def test_planning_twice_makes_each_job_once(engine: Engine, counting: list[str]) -> None:
    now = utcnow()
    run_due(engine, now)
    run_due(engine, now + timedelta(minutes=1))
    assert jobs(engine) == 40
    assert sorted(counting) == sorted(f"s{i}" for i in range(40))


def test_two_runners_at_once_run_each_job_exactly_once(engine: Engine, counting: list[str]) -> None:
    now = utcnow()
    errors: list[BaseException] = []

    def runner() -> None:
        try:
            run_due(engine, now)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=runner) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(counting) == 40
    assert len(set(counting)) == 40


def test_a_runner_killed_mid_job_leaves_it_to_another_after_the_lease(
    engine: Engine, counting: list[str]
) -> None:
    from app.jobs.runner import plan

    now = utcnow()
    plan(engine, now)
    claimed = claim(engine, now)  # this runner "dies" here: it never executes
    assert claimed is not None
    run_due(engine, now + timedelta(seconds=5))
    assert claimed[2] not in counting  # still leased to the dead runner
    assert len(counting) == 39
    run_due(engine, now + LEASE + timedelta(seconds=1))
    assert counting.count(claimed[2]) == 1
    # the dead runner wakes up: its late execute cannot mark the job a second time
    assert execute(engine, claimed, now) is False
    assert counting.count(claimed[2]) == 1
    with engine.connect() as connection:
        done = connection.execute(
            select(func.count()).select_from(Job).where(Job.done_at.is_not(None))  # type: ignore[union-attr]
        ).scalar_one()
    assert done == 40


def test_a_failing_job_is_retried_then_given_up(engine: Engine) -> None:
    saved = dict(KINDS)
    KINDS.clear()
    attempts: list[int] = []

    def run(db: Session, subject: str, now: datetime) -> None:
        attempts.append(1)
        raise RuntimeError("boom")

    register_kind(JobKind("broken", lambda db, now: [Planned("x", "d", now)], run))
    try:
        now = utcnow()
        for step in range(8):
            run_due(engine, now + step * (LEASE + timedelta(seconds=1)))
        assert len(attempts) == 5
    finally:
        KINDS.clear()
        KINDS.update(saved)
