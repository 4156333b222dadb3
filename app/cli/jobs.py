"""`reprise jobs run`: what is due once (reminders, purges, packs of letters)."""

from __future__ import annotations

import argparse
from typing import Any


def _jobs_run(args: argparse.Namespace) -> int:
    from app.registry import register_all

    register_all()
    from app.config import get_settings
    from app.db import get_engine
    from app.jobs.runner import run_due
    from app.letters.pack_jobs import run_pending_packs
    from app.logs import configure_logging

    configure_logging(get_settings().log_level)
    report = run_due(get_engine())
    packs = run_pending_packs(get_engine())
    if packs:
        report.done["packs"] = packs
    for kind, count in sorted(report.done.items()):
        print(f"{kind}\t{count}")
    print(f"{sum(report.done.values())} job(s) done, {report.failed} failed")
    return 1 if report.failed else 0


def add_commands(commands: Any) -> None:
    jobs = commands.add_parser("jobs", help="background jobs").add_subparsers(
        dest="jobs_command", required=True
    )
    jobs.add_parser("run", help="run what is due once (reminders, purges)").set_defaults(
        func=_jobs_run
    )
