"""Hospitals, clinics, laboratories and pharmacies from the FINESS registry: import and search.

The rows live in the database; searching them goes through an in-memory index of their names
and towns, built once per import (the latest `finess_import` row tells which import is current).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from app.catalogue.finess import EstablishmentRow, LineProblem, Parsed, parse_file
from app.catalogue.index import NameIndex, best_items, matching_items
from app.errors import Invalid
from app.i18n import gettext as _
from app.models.base import new_id
from app.models.establishment import Establishment, FinessImport

logger = logging.getLogger("reprise.finess")

BATCH = 5000
MAX_RESULTS = 50
# More problems than this and the file is probably not a FINESS extraction at all.
PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class ImportReport:
    rows: int
    skipped: list[LineProblem]
    extracted_on: str | None


def import_parsed(
    db: Session, parsed: Parsed, file_name: str, skip_invalid: bool = False
) -> ImportReport:
    """Replace the establishments with those of `parsed`; nothing changes if it is refused.

    Refused when the file has no establishment, or has broken lines and `skip_invalid` is off.
    The caller commits (one transaction: the old rows stay until the new ones are all in).
    """
    if not parsed.rows:
        raise Invalid({"file": "no establishment line (structureet) in this file"})
    if parsed.problems and not skip_invalid:
        shown = "; ".join(str(problem) for problem in parsed.problems[:PROBLEMS_SHOWN])
        raise Invalid(
            {
                "file": f"{len(parsed.problems)} line(s) do not follow the FINESS layout: {shown}"
                " (use --skip-invalid to import the other lines)"
            }
        )
    db.execute(delete(Establishment))
    for start in range(0, len(parsed.rows), BATCH):
        db.execute(
            insert(Establishment),
            [_values(row) for row in parsed.rows[start : start + BATCH]],
        )
    db.add(
        FinessImport(
            file_name=file_name[:255],
            extracted_on=parsed.extracted_on,
            rows=len(parsed.rows),
            skipped=len(parsed.problems),
        )
    )
    db.flush()
    return ImportReport(
        rows=len(parsed.rows),
        skipped=parsed.problems,
        extracted_on=parsed.extracted_on.isoformat() if parsed.extracted_on else None,
    )


def import_file(db: Session, path: Path, skip_invalid: bool = False) -> ImportReport:
    """Read and import the official FINESS CSV file at `path`."""
    return import_parsed(db, parse_file(path), path.name, skip_invalid)


def _values(row: EstablishmentRow) -> dict[str, Any]:
    values = asdict(row)
    values["kind"] = row.kind
    values["id"] = new_id()
    for name, limit in _LIMITS.items():
        if values.get(name):
            values[name] = values[name][:limit]
    return values


_LIMITS = {
    "name": 120,
    "long_name": 120,
    "complement": 120,
    "distribution": 120,
    "street": 160,
    "locality": 120,
    "town": 120,
    "department_name": 60,
    "category_label": 120,
    "aggregate_label": 120,
    "public_status": 120,
}


def row_of(establishment: Establishment) -> EstablishmentRow:
    """The database row as the FINESS description (address lines, public or private...)."""
    return EstablishmentRow(
        **{field.name: getattr(establishment, field.name) for field in fields(EstablishmentRow)}
    )


# ---------------------------------------------------------------- search


class _Index:
    """Names and places of every establishment of one import, numbered in name order."""

    def __init__(self, rows: Iterable[tuple[str, str, str | None, str | None, str, str]]) -> None:
        ordered = sorted(rows, key=lambda row: ((row[2] or row[1]).casefold(), row[0]))
        self.finess: list[str] = [row[0] for row in ordered]
        self.names = NameIndex(
            [name, long_name or "", complement or ""]
            for _f, name, long_name, complement, _t, _p in ordered
        )
        self.places = NameIndex([town, postal_code] for *_rest, town, postal_code in ordered)


_lock = threading.Lock()
_cache: dict[str, _Index] = {}


def current_import(db: Session) -> FinessImport | None:
    """The last FINESS import, or None when the registry was never imported."""
    return db.exec(
        select(FinessImport).order_by(col(FinessImport.imported_at).desc()).limit(1)
    ).first()


def _index(db: Session) -> _Index | None:
    latest = current_import(db)
    if latest is None:
        return None
    key = str(latest.id)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
    rows = db.execute(
        select_columns(
            col(Establishment.finess),
            col(Establishment.name),
            col(Establishment.long_name),
            col(Establishment.complement),
            col(Establishment.town),
            col(Establishment.postal_code),
        )
    ).all()
    built = _Index(tuple(row) for row in rows)
    with _lock:
        _cache.clear()  # Only the current import is searched.
        _cache[key] = built
    logger.info("FINESS search index built: %d establishments", len(built.finess))
    return built


@dataclass(frozen=True)
class SearchResult:
    establishments: list[EstablishmentRow]
    total: int
    imported: bool


def search_establishments(db: Session, query: str, town: str = "", limit: int = 20) -> SearchResult:
    """Establishments whose names carry every word of `query`, in `town` when given.

    `town` matches the town name or the postal code (a start such as "69" works too).
    """
    index = _index(db)
    if index is None:
        return SearchResult([], 0, imported=False)
    limit = max(1, min(limit, MAX_RESULTS))
    name_matches = index.names.match(query)
    place_matches = index.places.match(town)
    if not name_matches and not place_matches:
        return SearchResult([], 0, imported=True)
    found = matching_items(name_matches) if name_matches else None
    if place_matches:
        in_town = matching_items(place_matches)
        found = in_town if found is None else found & in_town
    assert found is not None
    best = best_items(name_matches or place_matches, found, limit)
    numbers = [index.finess[item] for item in best]
    by_number = {
        row.finess: row
        for row in db.exec(select(Establishment).where(col(Establishment.finess).in_(numbers)))
    }
    rows = [row_of(by_number[number]) for number in numbers if number in by_number]
    return SearchResult(rows, len(found), imported=True)


def get_establishment(db: Session, finess: str) -> EstablishmentRow | None:
    found = db.exec(select(Establishment).where(Establishment.finess == finess)).first()
    return row_of(found) if found else None


def describe_import(db: Session) -> str:
    """One line for people: when the registry was imported, or that it was not."""
    latest = current_import(db)
    if latest is None:
        return _("Le répertoire FINESS n'a pas été importé sur ce serveur.")
    return _(
        "Répertoire FINESS importé le %(date)s (%(rows)s établissements).",
        date=latest.imported_at.date().isoformat(),
        rows=latest.rows,
    )
