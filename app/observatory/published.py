"""The published figures as the pages, the API and exports read them: the cells of the first
day of the month, computed by the background job `observatory-publish` (app.observatory.figures)
and kept in `observatory_cell` until a change reaches a counted request, a person leaves the
figures, or the month turns. Until the job has run, readers compute the figures themselves
(the same figures, slower) and store nothing: a GET changes no table.

Computing all organisations' figures reads every counted row; reading the published cells
reads one row per cell (bench/observatory.py measures both).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.jobs.runner import JobKind, Planned, register_kind
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


def publish(db: Session, as_of: dt.date) -> None:
    """Replace the published cells by the figures of `as_of`."""
    figures = compute(db, day=as_of)
    try:
        with db.begin_nested():
            db.execute(delete(PublishedCell))
            db.execute(delete(Publication))
            db.add_all(_row(cell) for cell in figures.cells)
            db.add(Publication(as_of=as_of))
    except IntegrityError:
        # Another process published the same figures at the same moment.
        return


def is_published(db: Session, as_of: dt.date) -> bool:
    return db.get(Publication, as_of) is not None


def published(db: Session, day: dt.date | None = None) -> Figures:
    """Every published cell, worst on-time share first."""
    as_of = figures_date(day)
    if not is_published(db, as_of):
        return compute(db, day=as_of)
    cells = [_cell(row) for row in db.exec(select(PublishedCell)).all()]
    return Figures(as_of, tuple(ranked(cells)))


def published_for(
    db: Session, organisation: str, day: dt.date | None = None, *, live: bool = True
) -> Figures:
    """One organisation's published cells ("platform:<slug>" or its key). Before the month's
    figures are published, computed on the spot, unless `live` is False (a public page that
    anyone may load at will): then there is nothing to show yet."""
    as_of = figures_date(day)
    if not is_published(db, as_of):
        if not live:
            return Figures(as_of, ())
        every = compute(db, day=as_of)
        return Figures(as_of, tuple(c for c in every.cells if c.organisation == organisation))
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
    as_of = figures_date()
    if not is_published(db, as_of):
        publish(db, as_of)


register_kind(JobKind("observatory-publish", _plan, _run))
