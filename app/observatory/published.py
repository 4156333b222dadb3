"""The published figures as the pages, the API and exports read them: the cells of the first
day of the month (app.observatory.figures), stored in `observatory_cell` once per month and read
by everyone until the month turns. No figure moves because one person's request does: a new or
changed request reaches the figures at the next month's publication.

The first reader of a month (or the background job `observatory-publish`, whichever comes
first) publishes: it claims the month's row in `observatory_publication` (its primary key, an
INSERT that does nothing on a conflict), and only the reader that inserted it computes and
stores the cells. A second reader at the same moment waits for the first one's transaction
(the row lock of the key) and then reads its cells. The cells are made again within the month
only when people leave the figures (an objection, an erasure, the purge) or the summary is
rebuilt (app.observatory.facts.unpublish).

Computing all organisations' figures reads every counted row; reading the published cells
reads one row per cell (bench/observatory.py measures both).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app.jobs.runner import JobKind, Planned, register_kind
from app.models.base import utcnow
from app.models.observatory import Publication, PublishedCell
from app.observatory.figures import COUNTS, Cell, Figures, compute, figures_date, ranked


def _row(cell: Cell) -> PublishedCell:
    return PublishedCell(
        organisation=cell.organisation,
        right=cell.right,
        year=cell.year,
        name=cell.name,
        category=cell.category,
        persons=cell.persons,
        requests=cell.requests,
        median_days=cell.median_days,
        p90_days=cell.p90_days,
        **{name: cell.counts.get(name, 0) for name in COUNTS},
    )


def _cell(row: PublishedCell) -> Cell:
    return Cell(
        organisation=row.organisation,
        name=row.name,
        category=row.category,
        right=row.right,
        year=row.year,
        persons=row.persons,
        requests=row.requests,
        counts={name: int(getattr(row, name)) for name in COUNTS},
        median_days=row.median_days,
        p90_days=row.p90_days,
    )


def _claim(db: Session, as_of: dt.date) -> bool:
    """Insert the month's publication row unless it exists; True for the one reader that
    inserted it (a concurrent reader waits for that transaction, then inserts nothing)."""
    dialect = db.get_bind().dialect.name
    insert: Any = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(Publication)
        .values(as_of=as_of, computed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["as_of"])
    )
    return bool(db.execute(statement).rowcount)  # type: ignore[attr-defined]


def publish(db: Session, as_of: dt.date) -> bool:
    """Publish the figures of `as_of` unless they already are; True when this call did."""
    if is_published(db, as_of) or not _claim(db, as_of):
        return False
    figures = compute(db, day=as_of)
    db.execute(delete(PublishedCell))
    db.execute(delete(Publication).where(col(Publication.as_of) != as_of))
    db.add_all(_row(cell) for cell in figures.cells)
    db.flush()
    return True


def is_published(db: Session, as_of: dt.date) -> bool:
    return db.get(Publication, as_of) is not None


def publication_date(db: Session) -> dt.datetime | None:
    """When the figures on show were computed (None before the first publication)."""
    row = db.exec(select(Publication).order_by(col(Publication.as_of).desc()).limit(1)).first()
    return row.computed_at if row is not None else None


def published(db: Session, day: dt.date | None = None) -> Figures:
    """Every published cell, worst on-time share first (published first if need be)."""
    as_of = figures_date(day)
    publish(db, as_of)
    cells = [_cell(row) for row in db.exec(select(PublishedCell)).all()]
    return Figures(as_of, tuple(ranked(cells)))


def published_for(db: Session, organisation: str, day: dt.date | None = None) -> Figures:
    """One organisation's published cells ("platform:<slug>" or its key), published first
    if need be."""
    as_of = figures_date(day)
    publish(db, as_of)
    rows = db.exec(
        select(PublishedCell).where(col(PublishedCell.organisation) == organisation)
    ).all()
    return Figures(as_of, tuple(ranked(_cell(row) for row in rows)))


def _plan(db: Session, now: dt.datetime) -> list[Planned]:
    """Publish when there is nothing published for this month (at most once an hour)."""
    if is_published(db, figures_date()):
        return []
    return [Planned("figures", now.strftime("%Y-%m-%dT%H"), now)]


def _run(db: Session, subject: str, now: dt.datetime) -> None:
    publish(db, figures_date())


register_kind(JobKind("observatory-publish", _plan, _run))
