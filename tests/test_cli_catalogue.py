"""The catalogue, FINESS and discovery commands, run as users run them."""

import json
import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "finess" / "etalab-cs1100502-sample.csv"


def reprise(*args: str, database: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if database is not None:
        env["REPRISE_DATABASE_URL"] = f"sqlite:///{database}"
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_finess_import_then_search(tmp_path: Path) -> None:
    database = tmp_path / "reprise.db"
    assert reprise("db", "upgrade", database=database).returncode == 0
    before = reprise("finess", "search", "fleyriat", database=database)
    assert before.returncode == 1
    assert "reprise finess import" in before.stderr
    loaded = reprise("finess", "import", str(SAMPLE), database=database)
    assert loaded.returncode == 0, loaded.stderr
    assert "14 establishments imported" in loaded.stdout
    found = reprise("finess", "search", "fleyriat", "--json", database=database)
    rows = json.loads(found.stdout)
    assert rows == [
        {
            "finess": "010000024",
            "name": "CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT",
            "address_lines": ["900 ROUTE DE PARIS", "01440 VIRIAT"],
            "category": "hospital",
            "public": True,
        }
    ]


def test_a_damaged_finess_file_is_refused_and_the_old_rows_kept(tmp_path: Path) -> None:
    database = tmp_path / "reprise.db"
    reprise("db", "upgrade", database=database)
    reprise("finess", "import", str(SAMPLE), database=database)
    damaged = tmp_path / "damaged.csv"
    damaged.write_text(SAMPLE.read_text(encoding="utf-8") + "structureet;1;2\n", encoding="utf-8")
    refused = reprise("finess", "import", str(damaged), database=database)
    assert refused.returncode == 1
    assert "line 16: 3 fields" in refused.stderr
    assert "previous establishments are kept" in refused.stderr
    still = reprise("finess", "search", "cayenne", database=database)
    assert "CENTRE HOSPITALIER DE CAYENNE" in still.stdout
    missing = reprise("finess", "import", str(tmp_path / "nope.csv"), database=database)
    assert missing.returncode == 2
