"""The catalogue, FINESS and discovery commands, run as users run them."""

import json
from pathlib import Path

from tests.support.commands import reprise_on_file as reprise
from tests.support.paths import FIXTURES
from tests.support.texts import plain

SAMPLE = FIXTURES / "finess" / "etalab-cs1100502-sample.csv"


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


def test_discover_prints_the_checklist() -> None:
    questions = reprise("discover", "--questions")
    assert "rendez-vous: Avez-vous pris des rendez-vous médicaux sur internet ?" in plain(
        questions.stdout
    )
    result = reprise(
        "discover", "--answer", "hopital=ap-hp,autre", "--answer", "adn=23andme", "--json"
    )
    assert result.returncode == 0, result.stderr
    items = {item["key"]: item for item in json.loads(result.stdout)}
    assert items["p-ap-hp"]["selection"] == {"platform": "ap-hp", "kind": "medical-record"}
    assert items["p-23andme"]["selection"] == {"platform": "23andme", "kind": "erasure"}
    assert items["p-eds-aphp"]["selected"] is False
    text = reprise("discover", "--answer", "hopital=autre")
    assert "reprise finess search" in text.stdout


def test_discover_names_a_bad_answer() -> None:
    unknown = reprise("discover", "--answer", "nope=x")
    assert unknown.returncode == 2
    assert "no question 'nope'" in unknown.stderr
    wrong = reprise("discover", "--answer", "adn=doctolib")
    assert wrong.returncode == 2
    assert "doctolib is not a choice of adn" in wrong.stderr


def test_organisations_search_says_when_it_is_disabled() -> None:
    env_free = reprise("organisations", "search", "clinique du parc")
    assert env_free.returncode == 1
    assert "désactivée" in env_free.stderr


def test_catalogue_check_counts_categories_and_quality() -> None:
    check = reprise("catalogue", "check")
    assert check.returncode == 0
    assert "platform records, all valid" in check.stdout
    assert "occupational" in check.stdout
    assert "verified" in check.stdout
