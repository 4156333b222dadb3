"""`reprise observatory ...`: the observatory's published figures as files, their merge, and
the summary made again from the proceedings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import print_invalid, write_out


def _render(figures: Any, form: str) -> str:
    import json

    from app.observatory.exchange import as_csv, as_json

    if form == "csv":
        return as_csv(figures)
    return json.dumps(as_json(figures), ensure_ascii=False, indent=1) + "\n"


def _export(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from app.db import get_engine
    from app.observatory.published import published

    with Session(get_engine()) as db:
        figures = published(db)
        db.commit()
    write_out(_render(figures, args.format), args.out)
    return 0


def _merge(args: argparse.Namespace) -> int:
    from app.errors import Invalid
    from app.observatory.exchange import merge, read_export

    exports = []
    try:
        for name in args.files:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                print(f"{name}: {exc}", file=sys.stderr)
                return 2
            exports.append(read_export(name, text))
    except Invalid as exc:
        return print_invalid(exc.errors)
    figures = merge(exports)
    write_out(_render(figures, args.format), args.out)
    print(f"{len(figures.cells)} cell(s) from {len(exports)} file(s)", file=sys.stderr)
    return 0


def rebuild_summary() -> int:
    """`reprise observatory rebuild`, also run by `reprise keys reindex`: the summary made
    again from the proceedings, under the current secret key; returns the row count."""
    from sqlmodel import Session

    from app.db import get_engine
    from app.proceedings.observatory import rebuild

    with Session(get_engine()) as db:
        count = rebuild(db)
        db.commit()
    print(f"{count} request(s) in the observatory's summary")
    return count


def _rebuild(args: argparse.Namespace) -> int:
    rebuild_summary()
    return 0


def add_commands(commands: Any) -> None:
    observatory = commands.add_parser(
        "observatory", help="how organisations answer: anonymous published figures"
    ).add_subparsers(dest="observatory_command", required=True)
    export = observatory.add_parser("export", help="the published figures (thresholded)")
    export.add_argument("--format", choices=("csv", "json"), default="json")
    export.add_argument("--out", help="write to this file (default: standard output)")
    export.set_defaults(func=_export)
    merged = observatory.add_parser(
        "merge", help="combine exports of several installations, never below the threshold"
    )
    merged.add_argument("files", nargs="+", metavar="FILE", help="exports (CSV or JSON)")
    merged.add_argument("--format", choices=("csv", "json"), default="json")
    merged.add_argument("--out", help="write to this file (default: standard output)")
    merged.set_defaults(func=_merge)
    observatory.add_parser(
        "rebuild", help="make the summary again from the tracked requests (after an upgrade)"
    ).set_defaults(func=_rebuild)
