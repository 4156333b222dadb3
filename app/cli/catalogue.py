"""`reprise catalogue ...` and `reprise finess ...`: the platform catalogue, patients'
suggestions, and the FINESS registry of health establishments."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from app.cli.common import as_of, period, print_json


def _catalogue_check(args: argparse.Namespace) -> int:
    from app.catalogue.loader import DATA_DIR, load_directory
    from app.catalogue.report import period_start, stale_records

    result = load_directory(Path(args.directory) if args.directory else DATA_DIR)
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"{len(result.problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{len(result.platforms)} platform records, all valid")
    categories = Counter(c for platform in result.platforms for c in platform.categories)
    qualities = Counter(platform.quality for platform in result.platforms)
    print(
        "by category: " + ", ".join(f"{name} {count}" for name, count in sorted(categories.items()))
    )
    print(
        "by quality: "
        + ", ".join(f"{name} {qualities[name]}" for name in ("verified", "secondary", "unverified"))
    )
    if args.stale_after:
        since = period_start(as_of(args), args.stale_after)
        stale = stale_records(result.platforms, since)
        print(f"{len(stale)} record(s) whose newest source is older than {since.isoformat()}:")
        for platform, source in stale:
            print(f"  {platform.slug}: {source.as_of.isoformat()} {source.url}")
    return 0


def _catalogue_report(args: argparse.Namespace) -> int:
    from app.catalogue.loader import get_catalogue
    from app.catalogue.report import build_report, report_lines

    report = build_report(list(get_catalogue().platforms), as_of(args), args.period)
    if args.json:
        print_json(report.as_json())
    else:
        print("\n".join(report_lines(report)))
    return 0


def _catalogue_suggestions(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from app.api.schemas import SuggestionOut
    from app.catalogue.suggestions import list_suggestions
    from app.db import get_engine

    with Session(get_engine()) as db:
        rows = [SuggestionOut.of(row) for row in list_suggestions(db)]
    if args.json:
        print_json([row.model_dump(mode="json") for row in rows])
        return 0
    for row in rows:
        value = row.value.replace("\n", " / ")
        source = row.source_url or "(no source given)"
        print(f"{row.date}\t{row.platform}\t{row.kind}\t{value}\t{source}")
    print(f"{len(rows)} suggestion(s); the catalogue changes only when a maintainer edits a record")
    return 0


def _catalogue_list(args: argparse.Namespace) -> int:
    from app.catalogue.loader import get_catalogue

    platforms = get_catalogue().platforms
    if args.json:
        print_json([p.model_dump(mode="json") for p in platforms])
    else:
        for platform in platforms:
            print(f"{platform.slug}\t{platform.name}\t{platform.quality}")
    return 0


def _catalogue_search(args: argparse.Namespace) -> int:
    from app.catalogue.loader import get_catalogue
    from app.catalogue.search import search_platforms

    found = search_platforms(get_catalogue(), args.query)
    if args.json:
        print_json([p.model_dump(mode="json") for p in found])
    else:
        for platform in found:
            print(f"{platform.slug}\t{platform.name}")
    return 0


def _finess_import(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from app.catalogue.establishments import import_file
    from app.db import get_engine
    from app.errors import Invalid

    path = Path(args.path)
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    with Session(get_engine()) as db:
        try:
            report = import_file(db, path, skip_invalid=args.skip_invalid)
        except Invalid as exc:
            db.rollback()
            for message in exc.errors.values():
                print(f"{path}: {message}", file=sys.stderr)
            print("nothing imported: the previous establishments are kept", file=sys.stderr)
            return 1
        db.commit()
    for problem in report.skipped:
        print(f"skipped {problem}", file=sys.stderr)
    extracted = f", extracted on {report.extracted_on}" if report.extracted_on else ""
    print(f"{report.rows} establishments imported from {path.name}{extracted}")
    return 0


def _finess_search(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from app.api.schemas import ESTABLISHMENT_CLI_FIELDS, EstablishmentOut, ordered
    from app.catalogue.establishments import search_establishments
    from app.db import get_engine

    with Session(get_engine()) as db:
        result = search_establishments(db, args.query, args.town, limit=args.limit)
    if not result.imported:
        print(
            "the FINESS registry was not imported: run `reprise finess import FILE`",
            file=sys.stderr,
        )
        return 1
    found = [EstablishmentOut.of(row) for row in result.establishments]
    if args.json:
        print_json([ordered(row, ESTABLISHMENT_CLI_FIELDS) for row in found])
    else:
        for row in found:
            print(f"{row.finess}\t{row.name}\t{row.address_lines[-1]}")
    return 0


def add_commands(commands: Any) -> None:
    catalogue = commands.add_parser("catalogue", help="the platform catalogue").add_subparsers(
        dest="catalogue_command", required=True
    )
    check = catalogue.add_parser("check", help="validate every record")
    check.add_argument(
        "--stale-after", type=period, help="also list records whose newest source is older (18m)"
    )
    check.add_argument("--as-of", help="YYYY-MM-DD: count ages from this day (default: today)")
    check.add_argument("--directory", help=argparse.SUPPRESS)
    check.set_defaults(func=_catalogue_check)
    report = catalogue.add_parser("report", help="coverage by category and quality, freshness")
    report.add_argument("--json", action="store_true")
    report.add_argument("--period", type=period, default="18m", help="freshness period (18m)")
    report.add_argument("--as-of", help="YYYY-MM-DD: count ages from this day (default: today)")
    report.set_defaults(func=_catalogue_report)
    suggestions = catalogue.add_parser("suggestions", help="addresses suggested by patients")
    suggestions.add_argument("--json", action="store_true")
    suggestions.set_defaults(func=_catalogue_suggestions)
    listing = catalogue.add_parser("list", help="every record")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=_catalogue_list)
    search = catalogue.add_parser("search", help="search like the site does")
    search.add_argument("query")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=_catalogue_search)


def add_finess_commands(commands: Any) -> None:
    finess = commands.add_parser(
        "finess", help="the FINESS registry of health establishments"
    ).add_subparsers(dest="finess_command", required=True)
    load = finess.add_parser("import", help="import the official FINESS CSV file (replaces)")
    load.add_argument("path", help="etalab-cs1100502-stock-*.csv or etalab-cs1100507-stock-*.csv")
    load.add_argument(
        "--skip-invalid", action="store_true", help="import the valid lines of a damaged file"
    )
    load.set_defaults(func=_finess_import)
    find = finess.add_parser("search", help="search establishments like the site does")
    find.add_argument("query")
    find.add_argument("--town", default="", help="town name or postal code")
    find.add_argument("--limit", type=int, default=20)
    find.add_argument("--json", action="store_true")
    find.set_defaults(func=_finess_search)
