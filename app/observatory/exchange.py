"""The published figures as files (CSV, JSON) under the Licence Ouverte, and the merge of
several installations' files into one national picture.

An export carries the rounded counts of each published cell, so shares can be computed again
after a merge; nothing below the threshold is in it, and the merge publishes no merged cell
resting on fewer than THRESHOLD persons (a file edited by hand to hold one is refused cell by
cell). The delays of a merged cell are the installations' ones weighted by their answers: an
estimate, which the method says.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from app.errors import Invalid
from app.i18n import gettext as _
from app.observatory.facts import RIGHTS
from app.observatory.figures import COUNTS, ROUNDING, THRESHOLD, Cell, Figures, ranked, round_count

FORMAT = "reprise-observatory/1"
LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
COLUMNS: tuple[str, ...] = (
    "as_of",
    "organisation",
    "platform",
    "name",
    "category",
    "right",
    "year",
    "persons",
    "requests",
    *COUNTS,
    *(f"{name}_share" for name in COUNTS),
    "median_days",
    "p90_days",
)


def as_json(figures: Figures) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "as_of": figures.as_of.isoformat(),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "threshold": THRESHOLD,
        "rounding": ROUNDING,
        "cells": [cell.as_dict() for cell in figures.cells],
    }


def as_csv(figures: Figures) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for cell in figures.cells:
        row = {k: ("" if v is None else v) for k, v in cell.as_dict().items()}
        writer.writerow({"as_of": figures.as_of.isoformat(), **row})
    return out.getvalue()


def _count(raw: Mapping[str, Any], name: str, where: str) -> int:
    value = raw.get(name)
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Invalid({f"{where}.{name}": _("Un nombre entier est attendu.")}) from None
    if number < 0:
        raise Invalid({f"{where}.{name}": _("Un nombre positif est attendu.")})
    return number


def _days(raw: Mapping[str, Any], name: str, where: str) -> int | None:
    value = raw.get(name)
    return None if value in (None, "") else _count(raw, name, where)


def cell_from(raw: Mapping[str, Any], where: str) -> Cell:
    """One cell of an export, checked (Invalid naming the file, row and field)."""
    right = str(raw.get("right") or "")
    if right not in RIGHTS:
        raise Invalid({f"{where}.right": _("Ce droit n'est pas suivi par l'observatoire.")})
    organisation = str(raw.get("organisation") or "").strip()
    if not organisation or len(organisation) > 200:
        raise Invalid({f"{where}.organisation": _("L'organisme manque.")})
    return Cell(
        organisation=organisation,
        name=str(raw.get("name") or organisation)[:200],
        category=str(raw.get("category") or "")[:32] or None,
        right=right,
        year=_count(raw, "year", where),
        persons=_count(raw, "persons", where),
        requests=_count(raw, "requests", where),
        counts={name: _count(raw, name, where) for name in COUNTS},
        median_days=_days(raw, "median_days", where),
        p90_days=_days(raw, "p90_days", where),
    )


def read_export(name: str, text: str) -> tuple[dt.date, list[Cell]]:
    """An export file's date and cells, from its JSON or CSV text."""
    try:
        if text.lstrip().startswith("{"):
            document = json.loads(text)
            if document.get("format") != FORMAT:
                raise Invalid(
                    {f"{name}.format": _("Ce fichier n'est pas un export de l'observatoire.")}
                )
            as_of, rows = str(document.get("as_of")), list(document.get("cells") or [])
        else:
            rows = list(csv.DictReader(io.StringIO(text)))
            if not rows:
                return dt.date.min, []
            as_of = str(rows[0].get("as_of"))
        day = dt.date.fromisoformat(as_of)
    except (ValueError, AttributeError, TypeError) as exc:
        raise Invalid({name: _("Ce fichier n'est pas un export de l'observatoire.")}) from exc
    return day, [cell_from(row, f"{name}[{n}]") for n, row in enumerate(rows, 1)]


def _weighted(cells: list[Cell], attribute: str) -> int | None:
    weighed: list[tuple[int, int]] = [
        (int(getattr(c, attribute)), c.counts.get("answered", 0))
        for c in cells
        if getattr(c, attribute) is not None and c.counts.get("answered", 0) > 0
    ]
    total = sum(weight for _value, weight in weighed)
    if not total:
        return None
    return round(sum(value * weight for value, weight in weighed) / total)


def merge(exports: Iterable[tuple[dt.date, list[Cell]]]) -> Figures:
    """One set of figures from several installations' exports: counts added, shares computed
    again, every merged cell resting on at least THRESHOLD persons."""
    groups: dict[tuple[str, str, int], list[Cell]] = {}
    dates: list[dt.date] = []
    for as_of, cells in exports:
        if cells:
            dates.append(as_of)
        for cell in cells:
            if cell.persons >= THRESHOLD:
                groups.setdefault((cell.organisation, cell.right, cell.year), []).append(cell)
    merged: list[Cell] = []
    for (organisation, right, year), cells in groups.items():
        persons = sum(c.persons for c in cells)
        if persons < THRESHOLD:
            continue
        merged.append(
            Cell(
                organisation=organisation,
                name=cells[0].name,
                category=next((c.category for c in cells if c.category), None),
                right=right,
                year=year,
                persons=round_count(persons),
                requests=round_count(sum(c.requests for c in cells)),
                counts={n: round_count(sum(c.counts.get(n, 0) for c in cells)) for n in COUNTS},
                median_days=_weighted(cells, "median_days"),
                p90_days=_weighted(cells, "p90_days"),
            )
        )
    return Figures(min(dates) if dates else dt.date.min, tuple(ranked(merged)))
