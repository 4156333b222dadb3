"""`reprise letter` and `reprise pack`: one letter, or many at once, written to a file."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.cli.common import print_invalid, print_validation, read_identity, read_json

# Command-line flag -> (option key, how to turn the value into the option's value).
LETTER_FLAGS: dict[str, str] = {
    "request_kind": "request_kind",
    "request_date": "request_date",
    "received": "received",
    "answer_date": "answer_date",
    "reminder_date": "reminder_date",
    "refusal_date": "refusal_date",
    "identity_requested": "identity_requested",
    "identity_answered": "identity_answered",
    "channel": "channel",
    "missing": "missing",
    "ground": "grounds",
    "purpose": "purposes",
    "addressee": "addressee",
    "delivery": "delivery",
    "requester": "requester",
    "right": "rights",
    "start": "start",
    "end": "end",
    "answers_to": "answers_to",
    "for_platform": "platforms",
}


def _letter_options(args: argparse.Namespace) -> tuple[dict[str, object], str | None]:
    """The kind's options from --options and the dedicated flags (flags win)."""
    from app.letters.kinds import OPTION_MODELS

    raw: dict[str, object] = {}
    if args.options:
        loaded, problem = (
            read_json(args.options[1:])
            if args.options.startswith("@")
            else _parse_inline(args.options)
        )
        if problem:
            return {}, problem
        if not isinstance(loaded, dict):
            return {}, "--options must be a JSON object"
        raw.update(loaded)
    fields = OPTION_MODELS[args.kind].model_fields
    for flag, key in LETTER_FLAGS.items():
        value = getattr(args, flag)
        if value is None or value == []:
            continue
        if key not in fields:
            return {}, f"--{flag.replace('_', '-')} does not apply to --kind {args.kind}"
        raw[key] = value.isoformat() if isinstance(value, date) else value
    agent = {
        key: value
        for key, value in (
            ("name", args.agent_name),
            ("kind", args.agent_kind),
            ("address_lines", args.agent_address or None),
        )
        if value
    }
    if agent:
        if "agent" not in fields:
            return {}, f"--agent-* does not apply to --kind {args.kind}"
        raw["agent"] = agent
    for flag, key, value in (
        ("keep-account", "close_account", False),
        ("older-than-5-years", "older_than_5_years", True),
        ("extended", "extended", True),
    ):
        if getattr(args, key if key != "close_account" else "keep_account"):
            if key not in fields:
                return {}, f"--{flag} does not apply to --kind {args.kind}"
            raw[key] = value
    return raw, None


def _parse_inline(text: str) -> tuple[object, str | None]:
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"--options: not valid JSON: {exc.msg}"


def _letter(args: argparse.Namespace) -> int:
    from app.catalogue.organisation import Organisation
    from app.clock import today
    from app.errors import DomainError, Invalid
    from app.letters.email import letter_eml
    from app.letters.render import letter_pdf, letter_text, write_atomically
    from app.letters.service import (
        make_letter,
        parse_options,
        resolve_recipient,
    )

    identity = read_identity(args.identity)
    if identity is None:
        return 2
    recipient_input = None
    if args.recipient_file:
        loaded, problem = read_json(args.recipient_file)
        if problem:
            print(problem, file=sys.stderr)
            return 2
        try:
            recipient_input = Organisation.model_validate(loaded)
        except ValidationError as exc:
            return print_validation(exc, f"{args.recipient_file}: ")
    raw, problem = _letter_options(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        letter = make_letter(
            args.kind,
            identity,  # type: ignore[arg-type]
            resolve_recipient(args.platform, recipient_input),
            parse_options(args.kind, raw),
            args.date or today(),
            args.lang,
        )
        if args.format == "pdf":
            data = letter_pdf(letter)
        elif args.format == "txt":
            data = letter_text(letter).encode()
        else:
            data = letter_eml(letter, identity.email)  # type: ignore[attr-defined]
    except Invalid as exc:
        return print_invalid(exc.errors)
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    write_atomically(Path(args.out), data)
    print(f"{args.out}: {letter.title}")
    return 0


def _pack(args: argparse.Namespace) -> int:
    from app.clock import today
    from app.errors import DomainError, Invalid
    from app.letters.packs import build_letters, pack_pdf, pack_zip, parse_items
    from app.letters.render import write_atomically

    identity = read_identity(args.identity)
    if identity is None:
        return 2
    loaded, problem = read_json(args.items)
    if problem or not isinstance(loaded, list):
        print(problem or f"{args.items}: must hold a JSON array of items", file=sys.stderr)
        return 2
    out = Path(args.out)
    try:
        letters = build_letters(
            parse_items(loaded),
            identity,  # type: ignore[arg-type]
            args.date or today(),
            args.lang,
        )
        data = pack_zip(letters) if out.suffix == ".zip" else pack_pdf(letters, identity)  # type: ignore[arg-type]
    except Invalid as exc:
        return print_invalid(exc.errors)
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    write_atomically(out, data)
    print(f"{args.out}: {len(letters)} letter(s)")
    return 0


def add_commands(commands: Any) -> None:
    from app.letters.kinds import KINDS, RIGHT_KINDS
    from app.letters.options import (
        ACCESS_ITEMS,
        ERASURE_GROUNDS,
        MANDATE_RIGHTS,
        OBJECTION_PURPOSES,
        REQUESTERS,
    )

    day = date.fromisoformat
    letter = commands.add_parser(
        "letter",
        help="write one letter",
        description="Kind-specific flags apply to the kinds that have that option; "
        "--options sets any option as JSON (or @file.json).",
    )
    letter.add_argument("--kind", required=True, choices=KINDS)
    target = letter.add_mutually_exclusive_group(required=True)
    target.add_argument("--platform", help="platform slug from the catalogue")
    target.add_argument("--recipient-file", help="JSON file: an organisation not in the catalogue")
    letter.add_argument("--identity", required=True, help="identity JSON file")
    letter.add_argument("--out", required=True)
    letter.add_argument("--lang", choices=("fr", "en"))
    letter.add_argument("--format", choices=("pdf", "txt", "eml"), default="pdf")
    letter.add_argument("--date", type=day, help="date printed on the letter")
    letter.add_argument("--options", help="options as JSON, or @FILE.json")
    follow = letter.add_argument_group("follow-ups (reminder, incomplete-answer, complaint-file)")
    follow.add_argument("--request-kind", choices=RIGHT_KINDS, help="the first request's kind")
    follow.add_argument("--request-date", type=day, help="when the request was sent")
    follow.add_argument("--received", type=day, help="when the platform received it")
    follow.add_argument("--answer-date", type=day)
    follow.add_argument("--reminder-date", type=day)
    follow.add_argument("--refusal-date", type=day, help="cada-referral: an express refusal")
    follow.add_argument(
        "--identity-requested", type=day, help="the platform asked for an identity proof"
    )
    follow.add_argument("--identity-answered", type=day, help="the proof was sent")
    follow.add_argument("--channel", choices=("post", "email", "web-form"))
    follow.add_argument("--missing", action="append", choices=ACCESS_ITEMS, default=[])
    follow.add_argument("--extended", action="store_true", help="the platform extended")
    rights = letter.add_argument_group("first requests")
    rights.add_argument("--ground", action="append", choices=ERASURE_GROUNDS, default=[])
    rights.add_argument("--keep-account", action="store_true", help="erasure: keep the account")
    rights.add_argument("--purpose", action="append", choices=OBJECTION_PURPOSES, default=[])
    medical = letter.add_argument_group("medical-record")
    medical.add_argument("--addressee", choices=("director", "practitioner"))
    medical.add_argument("--delivery", choices=("post", "email", "on-site", "doctor"))
    medical.add_argument("--requester", choices=REQUESTERS)
    medical.add_argument("--older-than-5-years", action="store_true")
    mandate = letter.add_argument_group("mandate")
    mandate.add_argument("--agent-name")
    mandate.add_argument("--agent-kind", choices=("person", "association"))
    mandate.add_argument("--agent-address", action="append", default=[], help="one line each")
    mandate.add_argument("--right", action="append", choices=MANDATE_RIGHTS, default=[])
    mandate.add_argument("--for-platform", action="append", default=[], help="name, repeated")
    mandate.add_argument("--start", type=day)
    mandate.add_argument("--end", type=day)
    mandate.add_argument("--answers-to", choices=("principal", "agent"))
    letter.set_defaults(func=_letter)


def add_pack_commands(commands: Any) -> None:
    pack = commands.add_parser(
        "pack",
        help="many letters at once: one PDF to print, or a ZIP (when --out ends in .zip)",
    )
    pack.add_argument("--identity", required=True, help="identity JSON file")
    pack.add_argument(
        "--items",
        required=True,
        help='JSON file: [{"platform": SLUG, "kind": KIND, "options": {...}}, ...]',
    )
    pack.add_argument("--out", required=True)
    pack.add_argument("--lang", choices=("fr", "en"))
    pack.add_argument("--date", type=date.fromisoformat)
    pack.set_defaults(func=_pack)
