"""Importing Datenanfragen's company files: a new record, and a record completed, each sourced."""

import shutil
import subprocess
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from app.catalogue.loader import load_directory
from tests.support.paths import FIXTURES
from tests.support.scriptload import load_script

FIXTURE = FIXTURES / "datenanfragen"


def _script() -> ModuleType:
    return load_script("import_datenanfragen")


def _git(directory: Path, *args: str) -> str:
    git = shutil.which("git")
    assert git
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2025-06-09T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2025-06-09T12:00:00+00:00",
    }
    done = subprocess.run(
        [git, "-C", str(directory), *args], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.strip()


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    repo = tmp_path / "data"
    shutil.copytree(FIXTURE, repo)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "companies")
    return repo


@pytest.fixture
def records(tmp_path: Path) -> Path:
    directory = tmp_path / "records"
    directory.mkdir()
    shutil.copy(FIXTURES / "datenanfragen-records" / "garmin.toml", directory)
    return directory


def test_a_company_reprise_lacks_becomes_a_secondary_record(checkout: Path, records: Path) -> None:
    done = _script().run(checkout, records)
    assert "xiaomi: added" in done
    assert load_directory(records).problems == []
    xiaomi = {p.slug: p for p in load_directory(records).platforms}["xiaomi"]
    assert xiaomi.quality == "secondary"
    assert xiaomi.country == "NL"  # read from the company's address
    channel = xiaomi.channel("erasure")
    assert channel is not None
    assert channel.email == "grievance.officer@xiaomi.com"
    assert channel.postal is not None
    assert channel.postal.lines == ["Prinses Beatrixlaan 582"]
    source = xiaomi.sources["datenanfragen"]
    head = _git(checkout, "rev-parse", "HEAD")
    assert source.url == f"https://github.com/datenanfragen/data/blob/{head}/companies/mi-com.json"
    assert source.kind == "secondary"
    assert source.dated == "2025-06-09"


def test_a_record_reprise_has_gets_only_what_it_lacks(checkout: Path, records: Path) -> None:
    before = tomllib.loads((records / "garmin.toml").read_text(encoding="utf-8"))
    assert "channels" not in before
    done = _script().run(checkout, records)
    assert "garmin: completed" in done
    garmin = {p.slug: p for p in load_directory(records).platforms}["garmin"]
    channel = garmin.channel("access")
    assert channel is not None
    assert channel.email == "euprivacy@garmin.com"
    assert channel.web_form == "https://www.garmin.com/account/datamanagement"
    assert garmin.no_channel is None
    assert garmin.quality == "secondary"
    assert garmin.sources["policy"].kind == "primary"  # the record's own source is kept
    # Run again: nothing is replaced, nothing is added twice.
    assert "garmin: nothing new" in _script().run(checkout, records)


def test_an_address_that_cannot_be_read_safely_is_left_out() -> None:
    script = _script()
    assert script.parse_address("Rue sans code\nParis\nFrance", "s") is None
    assert script.parse_address("Nowhere\nAtlantis", "s") is None
    parsed = script.parse_address("Leightonstr. 7\n97074 Würzburg\nDeutschland", "s")
    assert parsed == {
        "lines": ["Leightonstr. 7"],
        "postal_code": "97074",
        "city": "Würzburg",
        "country": "DE",
        "source": "s",
    }
