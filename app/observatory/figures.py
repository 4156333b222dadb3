"""The published figures: a query over the summary rows, then the privacy rules.

- A request counts once its legal period has ended plus one month (`counted_from`), and only
  what happened up to the figures' date (the first day of the month) is read, so the figures
  hold still for a month and no single new request moves them.
- A cell (organisation x right x year) is published only when it rests on at least
  `THRESHOLD` distinct persons; the delays to answer only when at least `THRESHOLD` persons
  had an answer (otherwise the median could be one person's delay).
- Counts are rounded to the nearest 5 and shares are computed from the rounded counts, so
  comparing two publications does not reveal one request below the rounding.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlmodel import Session

from app.catalogue.loader import get_catalogue
from app.clock import today
from app.models.observatory import ObservatoryFact
from app.observatory.facts import organisation_hash, pseudonym
from app.security.fields import unseal

# The summary table's columns, for SQL expressions.
F: Any = ObservatoryFact.__table__.c  # type: ignore[attr-defined]
THRESHOLD = 10
ROUNDING = 5
# Counted outcomes, in the order exports list them.
COUNTS: tuple[str, ...] = (
    "on_time",
    "answered",
    "incomplete",
    "refused",
    "reminded",
    "complaint",
    "unanswered",
)


def round_count(value: int) -> int:
    """To the nearest multiple of ROUNDING (12 -> 10, 13 -> 15)."""
    return ((value + ROUNDING // 2) // ROUNDING) * ROUNDING


def figures_date(day: dt.date | None = None) -> dt.date:
    """The figures' date: the first day of the current month (Paris)."""
    return (day or today()).replace(day=1)


@dataclass(frozen=True)
class Cell:
    """One organisation's figures for one right and one year (counts already rounded)."""

    organisation: str
    name: str
    category: str | None
    right: str
    year: int
    persons: int
    requests: int
    counts: dict[str, int] = field(default_factory=dict)
    median_days: int | None = None
    p90_days: int | None = None

    @property
    def slug(self) -> str | None:
        """The catalogue platform's slug, for a catalogue platform."""
        prefix = "platform:"
        return self.organisation[len(prefix) :] if self.organisation.startswith(prefix) else None

    def share(self, name: str) -> int | None:
        """A percentage of the requests, from the rounded counts."""
        if self.requests <= 0:
            return None
        return min(100, round(100 * self.counts.get(name, 0) / self.requests))

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "platform": self.slug,
            "name": self.name,
            "category": self.category,
            "right": self.right,
            "year": self.year,
            "persons": self.persons,
            "requests": self.requests,
            **{name: self.counts.get(name, 0) for name in COUNTS},
            **{f"{name}_share": self.share(name) for name in COUNTS},
            "median_days": self.median_days,
            "p90_days": self.p90_days,
        }


@dataclass(frozen=True)
class Figures:
    """Published cells and the date they describe."""

    as_of: dt.date
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Scope:
    """Which rows: one organisation's, one association's members', or all."""

    organisation: str | None = None
    association: str | None = None


def organisation_scope(slug: str) -> Scope:
    """One catalogue platform's requests."""
    return Scope(organisation=organisation_hash(f"platform:{slug}"))


def association_scope(association_id: uuid.UUID) -> Scope:
    """The requests of one association's members."""
    return Scope(association=pseudonym("association", association_id))


def _when(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _scope_filter(scope: Scope, as_of: dt.date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [F.counted_from <= as_of]
    if scope.organisation is not None:
        conditions.append(F.organisation == scope.organisation)
    if scope.association is not None:
        conditions.append(F.association == scope.association)
    return conditions


def _by(as_of: dt.date) -> dict[str, ColumnElement[bool]]:
    def seen(column: Any) -> ColumnElement[bool]:
        return and_(column.is_not(None), column <= as_of)

    return {
        "on_time": and_(seen(F.answered_on), F.answered_on <= F.due_on),
        "answered": seen(F.answered_on),
        "incomplete": seen(F.incomplete_on),
        "refused": seen(F.refused_on),
        "reminded": seen(F.reminded_on),
        "complaint": seen(F.complaint_on),
        "unanswered": or_(F.answered_on.is_(None), F.answered_on > as_of),
    }


_CELL = (F.organisation, F.right, F.year)


def _cells(db: Session, scope: Scope, as_of: dt.date) -> list[Any]:
    by = _by(as_of)
    query = (
        select(
            *_CELL,
            func.count(func.distinct(F.person)),
            func.count(func.distinct(case((by["answered"], F.person)))),
            func.count(),
            *(_when(by[name]) for name in COUNTS),
        )
        .where(*_scope_filter(scope, as_of))
        .group_by(*_CELL)
        .having(func.count(func.distinct(F.person)) >= THRESHOLD)
    )
    return list(db.execute(query).all())


def _percentiles(
    db: Session, scope: Scope, as_of: dt.date
) -> dict[tuple[str, str, int], dict[int, int]]:
    """Median and 90th percentile of the days to the answer, by cell (nearest rank)."""
    ranked = (
        select(
            *_CELL,
            F.answer_days,
            func.row_number().over(partition_by=_CELL, order_by=F.answer_days).label("rank"),
            func.count().over(partition_by=_CELL).label("total"),
        )
        .where(*_scope_filter(scope, as_of), _by(as_of)["answered"])
        .subquery()
    )
    rank, total = ranked.c["rank"], ranked.c["total"]
    median, p90 = (total + 1) // 2, (total * 9 + 9) // 10
    rows = db.execute(
        select(
            ranked.c.organisation, ranked.c.right, ranked.c.year, ranked.c.answer_days, rank
        ).where(or_(rank == median, rank == p90))
    ).all()
    found: dict[tuple[str, str, int], dict[int, int]] = {}
    for organisation, right, year, days, position in rows:
        found.setdefault((organisation, right, year), {})[position] = days
    return found


def _catalogue_by_hash() -> dict[str, tuple[str, str, str | None]]:
    return {
        organisation_hash(f"platform:{p.slug}"): (f"platform:{p.slug}", p.name, p.categories[0])
        for p in get_catalogue().platforms
    }


def _recipient(
    db: Session, hashed: str, known: dict[str, tuple[str, str, str | None]]
) -> tuple[str, str, str | None]:
    """The key, name and category of a published organisation (one sealed row read)."""
    if hashed in known:
        return known[hashed]
    row = (
        db.execute(
            select(ObservatoryFact)
            .where(F.organisation == hashed, F.recipient_sealed.is_not(None))
            .order_by(F.received_on.desc(), F.id)  # the latest spelling of its name
            .limit(1)
        )
        .scalars()
        .first()
    )
    kept = (unseal(row, "recipient_sealed", {}) or {}) if row is not None else {}
    return str(kept.get("key") or hashed), str(kept.get("name") or ""), kept.get("category")


def compute(db: Session, scope: Scope = Scope(), day: dt.date | None = None) -> Figures:
    """The published figures of `scope` as of the first day of this month."""
    as_of = figures_date(day)
    positions = _percentiles(db, scope, as_of)
    known = _catalogue_by_hash()
    cells: list[Cell] = []
    for row in _cells(db, scope, as_of):
        hashed, right, year, persons, answered_persons, requests, *counted = row
        organisation, name, category = _recipient(db, hashed, known)
        median = p90 = None
        if answered_persons >= THRESHOLD:
            at = positions.get((hashed, right, year), {})
            answered = counted[COUNTS.index("answered")]
            median, p90 = at.get((answered + 1) // 2), at.get((answered * 9 + 9) // 10)
        cells.append(
            Cell(
                organisation=organisation,
                name=name,
                category=category,
                right=right,
                year=int(year),
                persons=round_count(persons),
                requests=round_count(requests),
                counts={n: round_count(int(v or 0)) for n, v in zip(COUNTS, counted, strict=True)},
                median_days=median,
                p90_days=p90,
            )
        )
    return Figures(as_of, tuple(ranked(cells)))


def ranked(cells: Iterable[Cell]) -> list[Cell]:
    """Worst on-time share first, then the most requests, then by name."""

    def key(cell: Cell) -> tuple[int, int, str, str, int]:
        share = cell.share("on_time")
        return (
            share if share is not None else 101,
            -cell.requests,
            cell.name.casefold(),
            cell.right,
            -cell.year,
        )

    return sorted(cells, key=key)


def filtered(
    figures: Figures, *, category: str = "", right: str = "", organisation: str = ""
) -> Figures:
    """Only the cells of one category, right or organisation (empty: all)."""

    def keep(cell: Cell) -> bool:
        if right and cell.right != right:
            return False
        if organisation and cell.organisation != organisation:
            return False
        return not category or category in categories_of(cell)

    return replace(figures, cells=tuple(cell for cell in figures.cells if keep(cell)))


def categories_of(cell: Cell) -> Sequence[str]:
    slug = cell.slug
    platform = get_catalogue().get(slug) if slug else None
    if platform is not None:
        return list(platform.categories)
    return [cell.category] if cell.category else []
