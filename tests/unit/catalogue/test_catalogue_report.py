"""Freshness and reach of the catalogue: stale records, the coverage report, unsourced contacts."""

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalogue.loader import load_directory
from app.catalogue.report import build_report, parse_period, period_start, report_lines
from tests.support.commands import reprise_on_file as reprise

RECORD = """slug = "{slug}"
name = "{name}"
categories = ["{category}"]
country = "FR"
summary = "Un organisme."
role = "controller"
recommended_right = "access"
recommended_reason = "Parce que."
rights = ["access", "objection"]
quality = "{quality}"
{channels}
[sources.policy]
url = "https://{slug}.example.org/confidentialite"
title = "Politique de confidentialité"
{dated}kind = "{kind}"
seen = "2026-11-28"
"""
CHANNEL = """
[[channels]]
rights = ["access", "objection"]
to = "dpo"
for_privacy = true
email = "dpo@{slug}.example.org"
{source}
"""
NONE = """
[no_channel]
why = "Aucune adresse trouvée."
what_to_do = "Demandez-la au service client."
"""


def write(
    directory: Path,
    slug: str,
    *,
    dated: str | None = None,
    kind: str = "primary",
    contact: bool = True,
    sourced: bool = True,
    category: str = "insurer",
) -> None:
    if contact:
        source = 'email_source = "policy"' if sourced else ""
        channels = CHANNEL.format(slug=slug, source=source)
        current = kind == "primary" and dated is not None and dated >= "2024"
        quality = "verified" if current else "secondary"
    else:
        channels, quality = NONE, "unverified"
    text = RECORD.format(
        slug=slug,
        name=slug.title(),
        category=category,
        quality=quality,
        channels=channels,
        dated=f'dated = "{dated}"\n' if dated else "",
        kind=kind,
    )
    (directory / f"{slug}.toml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "today", "start"),
    [
        ("18m", date(2026, 12, 5), date(2025, 6, 5)),
        ("1m", date(2026, 3, 31), date(2026, 2, 28)),
        ("2y", date(2028, 2, 29), date(2026, 2, 28)),
        ("90d", date(2026, 12, 5), date(2026, 9, 6)),
    ],
)
def test_period_start(text: str, today: date, start: date) -> None:
    assert period_start(today, text) == start


@pytest.mark.parametrize("text", ["18", "m", "0m", "18w", "-3m", "18 months", ""])
def test_a_period_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="18m, 2y or 90d"):
        parse_period(text)


@settings(deadline=None)
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(min_value=1, max_value=240),
)
def test_a_period_of_months_ends_that_many_months_back(today: date, months: int) -> None:
    start = period_start(today, f"{months}m")
    assert (today.year - start.year) * 12 + today.month - start.month == months
    assert start.day <= today.day


def test_report_counts_channels_per_right_and_first_hand_recent_records(tmp_path: Path) -> None:
    write(tmp_path, "fresh", dated="2026-05")
    write(tmp_path, "old", dated="2015-10-02")
    write(tmp_path, "indirect", dated="2026-05", kind="secondary")
    write(tmp_path, "nothing", contact=False, category="hospital")
    write(tmp_path, "undated", dated=None)
    result = load_directory(tmp_path)
    assert result.problems == []
    report = build_report(result.platforms, date(2026, 12, 5))
    assert report.total == 5
    assert report.rights["access"] == {"records": 5, "with_channel": 4}
    assert report.every_right_covered == 4
    assert report.without_channel == ["nothing"]
    # "old" is too old, "indirect" is not first-hand; "undated" counts from the day it was read
    assert report.first_hand_recent == 2
    assert report.first_hand_undated == 1
    assert report.categories["hospital"] == {"records": 1, "unverified": 1}
    lines = report_lines(report)
    assert "  access: 4/5 (80%)" in lines
    assert "verified first-hand since 2025-06-05: 2/5 (40%)" in lines
    undated = "  of which 1 rest on a page that bears no date, counted from the day it was read"
    assert undated in lines


def test_check_lists_records_whose_newest_source_is_older_than_the_period(tmp_path: Path) -> None:
    write(tmp_path, "fresh", dated="2026-05")
    write(tmp_path, "old", dated="2015-10-02")
    run = reprise(
        "catalogue",
        "check",
        "--directory",
        str(tmp_path),
        "--stale-after",
        "18m",
        "--as-of",
        "2026-12-05",
    )
    assert run.returncode == 0, run.stderr
    assert "1 record(s) whose newest source is older than 2025-06-05:" in run.stdout
    assert "  old: 2015-10-02 https://old.example.org/confidentialite" in run.stdout
    assert "fresh:" not in run.stdout
    refused = reprise("catalogue", "check", "--stale-after", "eighteen months")
    assert refused.returncode == 2
    assert "18m, 2y or 90d" in refused.stderr


def test_check_fails_on_a_contact_without_a_source(tmp_path: Path) -> None:
    write(tmp_path, "unsourced", dated="2026-05", sourced=False)
    run = reprise("catalogue", "check", "--directory", str(tmp_path))
    assert run.returncode == 1
    assert "unsourced.toml: channels.0: Value error, email needs email_source" in run.stdout


def test_report_of_the_shipped_catalogue_as_json() -> None:
    run = reprise("catalogue", "report", "--json", "--as-of", "2026-12-05")
    assert run.returncode == 0, run.stderr
    figures = json.loads(run.stdout)
    assert figures["first_hand_since"] == "2025-06-05"
    assert set(figures["rights"]) >= {"access", "erasure", "medical-record"}
    assert figures["total"] == sum(figures["qualities"].values())
