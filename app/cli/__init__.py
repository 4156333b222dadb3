"""The `reprise` command: parses arguments and calls services, nothing more.

One module per command group; each adds its sub-commands to the parser (`add_commands`).
JSON output uses the API's shapes (app.api.schemas)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from app.cli import (
    catalogue,
    db,
    deadline,
    discovery,
    jobs,
    keys,
    letters,
    observatory,
    proceedings,
    serve,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reprise", description="Reprise: take back control of your health data."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve.add_commands(commands)
    db.add_commands(commands)
    catalogue.add_commands(commands)
    catalogue.add_finess_commands(commands)
    discovery.add_commands(commands)
    jobs.add_commands(commands)
    keys.add_commands(commands)
    letters.add_commands(commands)
    letters.add_pack_commands(commands)
    deadline.add_commands(commands)
    db.add_backup_commands(commands)
    proceedings.add_commands(commands)
    observatory.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


__all__ = ["build_parser", "main"]
