"""`reprise proceedings ...`: tracked requests, their due dates and next steps."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import print_invalid, print_json, print_validation, read_json


def _proceedings_list(args: argparse.Namespace) -> int:
    """A person's tracked requests, overdue first (the dashboard, for scripts)."""
    from sqlmodel import Session

    from app.api.schemas import ProceedingLine
    from app.clock import today
    from app.db import get_engine
    from app.proceedings.actions import proceedings_seen_by

    with Session(get_engine(), expire_on_commit=False) as db:
        actor = _actor(db, args.email)
        if actor is None:
            return 2
        views = [row.view for row in proceedings_seen_by(db, actor, today())]
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


def _actor(db: Any, email: str) -> Any:
    """The account's actor, or None once the problem is printed."""
    from app.accounts.users import find_by_email
    from app.organisations.access import actor_for

    user = find_by_email(db, email)
    if user is None:
        print("no account with this email", file=sys.stderr)
        return None
    return actor_for(db, user)


def _proceedings_start(args: argparse.Namespace) -> int:
    """Write a first request and follow it, as POST /api/v1/proceedings does (exit 2 naming
    the field); prints the proceeding as `record` does."""
    from pydantic import ValidationError
    from sqlmodel import Session

    from app.api.schemas import ProceedingCreate, ProceedingLine
    from app.clock import today
    from app.db import get_engine
    from app.errors import DomainError, Invalid
    from app.proceedings.actions import start_proceeding

    raw: dict[str, object] = {"kind": args.kind}
    for name, path in (
        ("organisation", args.organisation),
        ("identity", args.identity),
        ("options", args.options),
    ):
        if path:
            value, problem = read_json(path)
            if problem:
                print(problem, file=sys.stderr)
                return 2
            raw[name] = value
    if args.platform:
        raw["platform"] = args.platform
    if args.file:
        raw["file_id"] = args.file
    try:
        body = ProceedingCreate.model_validate(raw)
    except ValidationError as exc:
        return print_validation(exc)
    with Session(get_engine(), expire_on_commit=False) as db:
        actor = _actor(db, args.email)
        if actor is None:
            return 2
        day = today()
        try:
            proceeding, created = start_proceeding(
                db,
                actor,
                body.kind,
                body.addressee(),
                body.identity.model_dump(mode="json") if body.identity is not None else None,
                body.options,
                day,
                file_id=body.file_id,
            )
        except Invalid as exc:
            return print_invalid(exc.errors)
        except DomainError as exc:
            print(exc.message or "refused", file=sys.stderr)
            return 2
        from app.proceedings.views import view_of

        view = view_of(proceeding, day)
        db.commit()
    if not created:
        print("a proceeding was already open for this request: nothing written", file=sys.stderr)
    print_json(ProceedingLine.of(view).model_dump(mode="json"))
    return 0


def _proceedings_follow_up(args: argparse.Namespace) -> int:
    """Write a follow-up letter from the proceeding's own dates and references, as
    POST /api/v1/proceedings/{id}/letters does; prints the letter (and writes its PDF)."""
    import uuid

    from pydantic import ValidationError
    from sqlmodel import Session

    from app.api.schemas import FollowUpCreate, LetterOut
    from app.clock import today
    from app.db import get_engine
    from app.errors import DomainError, Invalid
    from app.proceedings.access import reach
    from app.proceedings.actions import proceeding_letter, write_follow_up

    try:
        body = FollowUpCreate.model_validate({"kind": args.kind})
        proceeding_id = uuid.UUID(args.proceeding)
    except ValidationError as exc:
        return print_validation(exc)
    except ValueError:
        print("proceeding: not an id", file=sys.stderr)
        return 2
    with Session(get_engine(), expire_on_commit=False) as db:
        actor = _actor(db, args.email)
        if actor is None:
            return 2
        day = today()
        try:
            found = reach(db, actor, proceeding_id, day)
            stored = write_follow_up(db, actor, found, body.kind, day)
            letter = proceeding_letter(db, actor, found, stored.id) if args.pdf else None
        except Invalid as exc:
            return print_invalid(exc.errors)
        except DomainError as exc:
            print(exc.message or "no proceeding with this id for this account", file=sys.stderr)
            return 2
        db.commit()
    if letter is not None:
        from app.letters.render import letter_pdf, write_atomically

        write_atomically(Path(args.pdf), letter_pdf(letter))
    print_json(
        LetterOut(id=stored.id, kind=body.kind, created_at=stored.created_at).model_dump(
            mode="json"
        )
    )
    return 0


def add_commands(commands: Any) -> None:
    from typing import get_args

    from app.letters.options import ACCESS_ITEMS
    from app.proceedings.events import CHANNELS, EVENT_KINDS, OUTCOMES, FollowUpKind, RightKind

    first_requests = get_args(RightKind)
    follow_ups = get_args(FollowUpKind)

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
    start = proceedings.add_parser(
        "start", help="write a first request and follow it (as POST /api/v1/proceedings)"
    )
    start.add_argument("--email", required=True, help="the account that writes it")
    start.add_argument("--kind", required=True, choices=first_requests)
    to = start.add_mutually_exclusive_group(required=True)
    to.add_argument("--platform", help="a catalogue platform's slug")
    to.add_argument(
        "--organisation", metavar="FILE.json", help="an organisation outside the catalogue"
    )
    start.add_argument("--file", help="a member's file id (a helper, under a mandate)")
    start.add_argument(
        "--identity", metavar="FILE.json", help="who signs (default: the file's identity)"
    )
    start.add_argument("--options", metavar="FILE.json", help="the letter's options")
    start.set_defaults(func=_proceedings_start)
    follow_up = proceedings.add_parser(
        "follow-up", help="write a follow-up letter (as POST /api/v1/proceedings/{id}/letters)"
    )
    follow_up.add_argument("proceeding", help="the proceeding's id")
    follow_up.add_argument("--email", required=True, help="the account that writes it")
    follow_up.add_argument("--kind", required=True, choices=follow_ups)
    follow_up.add_argument("--pdf", metavar="FILE.pdf", help="also write the letter's PDF here")
    follow_up.set_defaults(func=_proceedings_follow_up)
