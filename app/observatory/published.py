"""The published figures as the pages, the API and exports read them: the cells of the first
day of the month, computed once (app.observatory.figures) and kept in `observatory_cell` until
a change reaches a counted request, a person leaves the figures, or the month turns.

Computing all organisations' figures reads every counted row; reading the published cells
reads one row per cell (bench/observatory.py measures both).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

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


def _ready(db: Session, day: dt.date | None) -> dt.date:
    as_of = figures_date(day)
    if db.get(Publication, as_of) is None:
        publish(db, as_of)
    return as_of


def published(db: Session, day: dt.date | None = None) -> Figures:
    """Every published cell, worst on-time share first."""
    as_of = _ready(db, day)
    cells = [_cell(row) for row in db.exec(select(PublishedCell)).all()]
    return Figures(as_of, tuple(ranked(cells)))


def published_for(db: Session, organisation: str, day: dt.date | None = None) -> Figures:
    """One organisation's published cells ("platform:<slug>" or its key)."""
    as_of = _ready(db, day)
    rows = db.exec(
        select(PublishedCell).where(col(PublishedCell.organisation) == organisation)
    ).all()
    return Figures(as_of, tuple(ranked(_cell(row) for row in rows)))
