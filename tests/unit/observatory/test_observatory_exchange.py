"""The observatory's files: `reprise observatory export` (CSV and JSON, thresholded, under the
Licence Ouverte), `reprise observatory merge` over three installations' exports (counts added,
shares computed again, no merged cell below the threshold), and `rebuild`."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models.observatory import ObservatoryFact
from app.observatory.exchange import COLUMNS, FORMAT, as_csv, as_json, merge, read_export
from app.observatory.figures import compute
from tests.support import commands
from tests.support.commands import reprise_on as reprise
from tests.support.tracking import people


def cell(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "organisation": "platform:doctolib",
        "name": "Doctolib",
        "category": "booking",
        "right": "access",
        "year": 2025,
        "persons": 10,
        "requests": 20,
        "on_time": 10,
        "answered": 15,
        "incomplete": 0,
        "refused": 5,
        "reminded": 5,
        "complaint": 0,
        "unanswered": 5,
        "median_days": 10,
        "p90_days": 30,
    }
    return base | changes


def json_export(*cells: dict[str, Any], as_of: str = "2026-11-01") -> str:
    return json.dumps({"format": FORMAT, "as_of": as_of, "cells": list(cells)})


def csv_export(*cells: dict[str, Any], as_of: str = "2026-12-01") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in cells:
        writer.writerow({"as_of": as_of, **row})
    return out.getvalue()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return commands.reprise(*args)


def test_merge_three_installations(tmp_path: Path) -> None:
    first = tmp_path / "lyon.json"
    first.write_text(json_export(cell(), cell(right="erasure", persons=10, requests=10)))
    second = tmp_path / "lille.json"
    second.write_text(
        json_export(
            cell(persons=15, requests=10, on_time=0, answered=5, unanswered=0, median_days=30)
        )
    )
    third = tmp_path / "brest.csv"
    # A file edited by hand: a cell resting on five persons is not merged, even alone.
    third.write_text(
        csv_export(
            cell(persons=5, requests=5),
            cell(organisation="platform:maiia", name="Maiia", persons=5, requests=5),
        )
    )
    out = tmp_path / "france.json"
    result = run("observatory", "merge", str(first), str(second), str(third), "--out", str(out))
    assert result.returncode == 0, result.stderr
    merged = json.loads(out.read_text())
    assert merged["format"] == FORMAT
    assert merged["as_of"] == "2026-11-01"
    assert "Licence Ouverte" in merged["licence"]
    rows = {(c["organisation"], c["right"]): c for c in merged["cells"]}
    assert set(rows) == {("platform:doctolib", "access"), ("platform:doctolib", "erasure")}
    access = rows["platform:doctolib", "access"]
    assert (access["persons"], access["requests"], access["on_time"]) == (25, 30, 10)
    assert access["on_time_share"] == 33
    assert access["unanswered_share"] == 17
    # Delays weighted by the answers: (10 x 15 + 30 x 5) / 20.
    assert access["median_days"] == 15
    as_csv_out = run("observatory", "merge", str(first), str(third), "--format", "csv")
    assert as_csv_out.returncode == 0
    assert as_csv_out.stdout.splitlines()[0] == ",".join(COLUMNS)


def test_merge_refuses_a_file_that_is_not_an_export(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json_export(cell(requests="beaucoup")))
    result = run("observatory", "merge", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{bad}[1].requests: ")
    other = tmp_path / "other.json"
    other.write_text('{"cells": []}')
    assert run("observatory", "merge", str(other)).returncode == 2


def test_merged_cells_never_fall_below_the_threshold() -> None:
    day = read_export("a.json", json_export(cell(persons=5)))
    assert merge([day, day]).cells == ()
    # Two cells of nine persons each (a modified installation): not added up into eighteen.
    assert merge([read_export("b.csv", csv_export(cell(persons=9)))] * 2).cells == ()


def test_export_round_trip(db: Session) -> None:
    people(db, 10)
    figures = compute(db)
    assert figures.cells
    for text in (as_csv(figures), json.dumps(as_json(figures))):
        as_of, cells = read_export("x", text)
        assert as_of == figures.as_of
        assert [c.as_dict() for c in cells] == [c.as_dict() for c in figures.cells]


def test_export_and_rebuild_from_the_command_line(engine: Engine) -> None:
    with Session(engine) as db:
        people(db, 10)
        people(db, 9, slug="maiia")
        db.execute(delete(ObservatoryFact))
        db.commit()
    empty = reprise(engine, "observatory", "export", "--format", "json")
    assert json.loads(empty.stdout)["cells"] == []
    rebuilt = reprise(engine, "observatory", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stdout.startswith("19 request(s)")
    exported = reprise(engine, "observatory", "export", "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [(r["platform"], r["requests"], r["on_time_share"]) for r in rows] == [
        ("doctolib", "10", "100")
    ]
