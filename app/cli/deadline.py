"""`reprise deadline`: the day a platform must answer by, as JSON (the API's shape)."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from typing import Any

from app.cli.common import print_json

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _option(field: str) -> str:
    return "--" + field.replace("_", "-")


def _deadline(args: argparse.Namespace) -> int:
    from app.deadlines.rules import DeadlineQuery, compute_deadline, deadline_json
    from app.errors import Invalid
    from app.i18n import gettext as _
    from app.i18n import use_locale

    with use_locale(args.lang):
        days: dict[str, date | None] = {}
        problems: dict[str, str] = {}
        for field in ("received", "identity_requested", "identity_answered"):
            text = getattr(args, field)
            days[field] = None
            if text is None:
                continue
            try:
                if not DATE_RE.fullmatch(text):
                    raise ValueError(text)
                days[field] = date.fromisoformat(text)
            except ValueError:
                problems[field] = _(
                    "Indiquez une date au format AAAA-MM-JJ, par exemple 2026-03-05."
                )
        if problems:
            for field, message in problems.items():
                print(f"{_option(field)}: {message}", file=sys.stderr)
            return 2
        received = days["received"]
        assert received is not None
        query = DeadlineQuery(
            regime=args.regime,
            received=received,
            extended=args.extended,
            older_than_5_years=args.older_than_5_years,
            psychiatric_commission=args.psychiatric_commission,
            alsace_moselle=args.alsace_moselle,
            identity_requested=days["identity_requested"],
            identity_answered=days["identity_answered"],
        )
        try:
            deadline = compute_deadline(query)
        except Invalid as exc:
            for field, message in exc.errors.items():
                print(f"{_option(field)}: {message}", file=sys.stderr)
            return 2
        print_json(deadline_json(deadline))
    return 0


def add_commands(commands: Any) -> None:
    deadline = commands.add_parser("deadline", help="the day a platform must answer by, as JSON")
    deadline.add_argument("--regime", required=True, choices=("gdpr", "medical-record"))
    deadline.add_argument("--received", required=True, metavar="YYYY-MM-DD")
    deadline.add_argument(
        "--extended", action="store_true", help="GDPR: the platform announced an extension"
    )
    deadline.add_argument(
        "--older-than-5-years",
        action="store_true",
        help="medical record: the information is over five years old",
    )
    deadline.add_argument(
        "--psychiatric-commission",
        action="store_true",
        help="medical record: the departmental psychiatric care commission is seized",
    )
    deadline.add_argument(
        "--alsace-moselle",
        action="store_true",
        help="the platform is in Moselle, Bas-Rhin or Haut-Rhin (local holidays)",
    )
    deadline.add_argument(
        "--identity-requested",
        metavar="YYYY-MM-DD",
        help="GDPR: the day the platform asked for proof of identity (stops the clock)",
    )
    deadline.add_argument(
        "--identity-answered",
        metavar="YYYY-MM-DD",
        help="GDPR: the day the platform received that proof (restarts the clock)",
    )
    deadline.add_argument("--lang", choices=("fr", "en"), default="fr")
    deadline.set_defaults(func=_deadline)
