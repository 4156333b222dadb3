"""How far the catalogue reaches and how fresh it is: figures for maintainers."""

from __future__ import annotations

import re
from calendar import monthrange
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.catalogue.contacts import RIGHTS, Source
from app.catalogue.schema import CATEGORIES, Platform

PERIOD_RE = re.compile(r"^(\d{1,3})([dmy])$")
# Ages of a contact's source, in months: newer than each bound.
AGE_BUCKETS = ((6, "under 6 months"), (18, "6 to 18 months"), (36, "18 months to 3 years"))


def parse_period(text: str) -> tuple[int, str]:
    """'18m', '2y' or '90d' as (count, unit); ValueError otherwise."""
    match = PERIOD_RE.match(text.strip())
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"a period reads like 18m, 2y or 90d, not {text!r}")
    return int(match.group(1)), match.group(2)


def period_start(today: date, text: str) -> date:
    """The first day inside the period that ends today."""
    count, unit = parse_period(text)
    if unit == "d":
        return date.fromordinal(today.toordinal() - count)
    months = today.year * 12 + today.month - 1 - (count if unit == "m" else 12 * count)
    year, month = divmod(months, 12)
    return date(year, month + 1, min(today.day, monthrange(year, month + 1)[1]))


def contact_sources(platform: Platform) -> list[Source]:
    """The sources behind the record's contacts (all its sources when it has no contact)."""
    keys = platform.contact_source_keys() or list(platform.sources)
    return [platform.sources[key] for key in dict.fromkeys(keys)]


def newest_source(platform: Platform) -> Source:
    return max(contact_sources(platform), key=lambda source: source.as_of)


def stale_records(platforms: list[Platform], since: date) -> list[tuple[Platform, Source]]:
    """Records whose newest source is older than `since`, oldest first."""
    stale = [(platform, newest_source(platform)) for platform in platforms]
    stale = [(platform, source) for platform, source in stale if source.as_of < since]
    return sorted(stale, key=lambda pair: (pair[1].as_of, pair[0].slug))


def first_hand_since(platform: Platform, since: date) -> bool:
    """Every contact comes from the organisation's own document, dated within the period."""
    keys = platform.contact_source_keys()
    return bool(keys) and all(
        platform.sources[key].first_hand and platform.sources[key].as_of >= since for key in keys
    )


@dataclass(frozen=True)
class Report:
    total: int
    categories: dict[str, dict[str, int]]
    qualities: dict[str, int]
    rights: dict[str, dict[str, int]]
    every_right_covered: int
    without_channel: list[str]
    first_hand_recent: int
    first_hand_undated: int
    for_privacy: int
    source_ages: dict[str, int]
    since: date

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "categories": self.categories,
            "qualities": self.qualities,
            "rights": self.rights,
            "every_right_covered": self.every_right_covered,
            "without_channel": self.without_channel,
            "first_hand_recent": self.first_hand_recent,
            "first_hand_since": self.since.isoformat(),
            "first_hand_undated": self.first_hand_undated,
            "meant_for_privacy": self.for_privacy,
            "source_ages": self.source_ages,
        }


def build_report(platforms: list[Platform], today: date, period: str = "18m") -> Report:
    since = period_start(today, period)
    categories: dict[str, dict[str, int]] = {}
    for category in CATEGORIES:
        members = [p for p in platforms if category in p.categories]
        if members:
            counts = Counter[str](p.quality for p in members)
            categories[category] = {"records": len(members), **counts}
    rights: dict[str, dict[str, int]] = {}
    for right in RIGHTS:
        accepting = [p for p in platforms if right in p.relevant_rights]
        if accepting:
            covered = sum(1 for p in accepting if p.channel(right) is not None)
            rights[right] = {"records": len(accepting), "with_channel": covered}
    recent = [p for p in platforms if first_hand_since(p, since)]
    ages: Counter[str] = Counter()
    for platform in platforms:
        for source in contact_sources(platform) if platform.channels else []:
            ages[_age_bucket(source.as_of, today)] += 1
    return Report(
        total=len(platforms),
        categories=categories,
        qualities=dict(Counter(p.quality for p in platforms)),
        rights=rights,
        every_right_covered=sum(1 for p in platforms if not p.uncovered_rights),
        without_channel=sorted(p.slug for p in platforms if not p.channels),
        first_hand_recent=len(recent),
        first_hand_undated=sum(1 for p in recent if _rests_on_an_undated_page(p)),
        for_privacy=sum(1 for p in platforms if any(c.for_privacy for c in p.channels)),
        source_ages=dict(ages),
        since=since,
    )


def _rests_on_an_undated_page(platform: Platform) -> bool:
    """A contact read on a page that bears no date: it counts from the day it was read."""
    return any(platform.sources[key].dated is None for key in platform.contact_source_keys())


def _age_bucket(as_of: date, today: date) -> str:
    months = (today.year - as_of.year) * 12 + today.month - as_of.month
    for bound, name in AGE_BUCKETS:
        if months < bound:
            return name
    return "over 3 years"


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "0/0"


def report_lines(report: Report) -> list[str]:
    """The report as a maintainer reads it in a terminal."""
    total = report.total
    lines = [f"{total} records in {len(report.categories)} categories"]
    names = ("verified", "secondary", "unverified")
    qualities = ", ".join(f"{name} {report.qualities.get(name, 0)}" for name in names)
    lines.append(f"by quality: {qualities}")
    lines.append("by category (records: verified/secondary/unverified):")
    for name, counts in report.categories.items():
        split = "/".join(str(counts.get(q, 0)) for q in ("verified", "secondary", "unverified"))
        lines.append(f"  {name}: {counts['records']} ({split})")
    lines.append("records with a channel, per right they accept:")
    for right, counts in report.rights.items():
        lines.append(f"  {right}: {_share(counts['with_channel'], counts['records'])}")
    covered = _share(report.every_right_covered, total)
    lines.append(f"a channel for every right they accept: {covered}")
    lines.append(f"a contact meant for privacy requests: {_share(report.for_privacy, total)}")
    lines.append(
        f"verified first-hand since {report.since.isoformat()}: "
        f"{_share(report.first_hand_recent, total)}"
    )
    if report.first_hand_undated:
        lines.append(
            f"  of which {report.first_hand_undated} rest on a page that bears no date,"
            " counted from the day it was read"
        )
    ages = ", ".join(
        f"{name} {report.source_ages.get(name, 0)}"
        for name in [*(bucket for _, bucket in AGE_BUCKETS), "over 3 years"]
    )
    lines.append(f"contact sources by age: {ages}")
    lines.append(f"records without any channel: {len(report.without_channel)}")
    lines.extend(f"  {slug}" for slug in report.without_channel)
    return lines
