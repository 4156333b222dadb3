"""`reprise proceedings ...`: tracked requests, their due dates and next steps."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.common import print_invalid, print_json, print_validation


def _proceedings_list(args: argparse.Namespace) -> int:
    """A person's tracked requests, overdue first (the dashboard, for scripts)."""
    from sqlmodel import Session

    from app.accounts.users import find_by_email
    from app.api.schemas import ProceedingLine
    from app.clock import today
    from app.db import get_engine
    from app.organisations.access import actor_for
    from app.proceedings.actions import proceedings_seen_by

    with Session(get_engine(), expire_on_commit=False) as db:
        user = find_by_email(db, args.email)
        if user is None:
            print("no account with this email", file=sys.stderr)
            return 2
        views = [row.view for row in proceedings_seen_by(db, actor_for(db, user), today())]
        db.commit()
    lines = [ProceedingLine.of(view) for view in views]
    if args.json:
        print_json([line.model_dump(mode="json") for line in lines])
        return 0
    for line in lines:
        due = line.due.isoformat() if line.due else "-"
        to = line.platform or line.recipient_name
        print(f"{due:<10}  {line.status:<10}  {to}  {line.right}  -> {line.next_step}")
    return 0


def _proceedings_record(args: argparse.Namespace) -> int:
    """Record one event of a proceeding, as the lifecycle allows (exit 2 naming the field)."""
    import uuid

    from pydantic import ValidationError
    from sqlmodel import Session

    from app.api.schemas import ProceedingLine
    from app.clock import today
    from app.db import get_engine
    from app.errors import Invalid
    from app.models.proceeding import Proceeding
    from app.proceedings.events import Event
    from app.proceedings.service import record

    try:
        event = Event.model_validate(
            {
                key: value
                for key, value in {
                    "kind": args.kind,
                    "date": args.date,
                    "channel": args.channel,
                    "reference": args.reference,
                    "outcome": args.outcome,
                    "authority": args.authority,
                    "note": args.note,
                    "missing": args.missing.split(",") if args.missing else None,
                }.items()
                if value is not None
            }
        )
    except ValidationError as exc:
        return print_validation(exc)
    with Session(get_engine(), expire_on_commit=False) as db:
        proceeding = db.get(Proceeding, uuid.UUID(args.proceeding))
        if proceeding is None:
            print("no proceeding with this id", file=sys.stderr)
            return 2
        try:
            view = record(db, proceeding, event, today())
        except Invalid as exc:
            return print_invalid(exc.errors)
        db.commit()
    print_json(ProceedingLine.of(view).model_dump(mode="json"))
    return 0


def add_commands(commands: Any) -> None:
    from app.letters.options import ACCESS_ITEMS
    from app.proceedings.events import CHANNELS, EVENT_KINDS, OUTCOMES

    proceedings = commands.add_parser(
        "proceedings", help="tracked requests: due dates and next steps"
    ).add_subparsers(dest="proceedings_command", required=True)
    listing = proceedings.add_parser("list", help="a person's tracked requests, overdue first")
    listing.add_argument("--email", required=True, help="the account's email address")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=_proceedings_list)
    event = proceedings.add_parser("record", help="record what happened in a proceeding")
    event.add_argument("proceeding", help="the proceeding's id")
    event.add_argument(
        "--kind", required=True, choices=[k for k in EVENT_KINDS if k != "generated"]
    )
    event.add_argument("--date", required=True, help="YYYY-MM-DD")
    event.add_argument("--channel", choices=CHANNELS)
    event.add_argument("--reference", help="registered-letter number, complaint number")
    event.add_argument("--outcome", choices=OUTCOMES)
    event.add_argument("--authority", choices=("cnil", "cada"))
    event.add_argument("--note")
    event.add_argument(
        "--missing",
        help="for an incomplete answer to an access request: what it lacked, comma-separated "
        f"({', '.join(ACCESS_ITEMS)})",
    )
    event.set_defaults(func=_proceedings_record)
