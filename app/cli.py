"""The `reprise` command: parses arguments and calls services, nothing more."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.cli_observatory import add_observatory_commands


def _serve(args: argparse.Namespace) -> int:
    from app.config import get_settings
    from app.logs import configure_logging
    from app.server import serve

    configure_logging(get_settings().log_level)
    serve(args.host, args.port, args.workers)
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from app.migrate import upgrade

    upgrade(args.revision)
    print(f"database at {args.revision}")
    return 0


def _as_of(args: argparse.Namespace) -> date:
    from app import clock

    return date.fromisoformat(args.as_of) if args.as_of else clock.today()


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
        since = period_start(_as_of(args), args.stale_after)
        stale = stale_records(result.platforms, since)
        print(f"{len(stale)} record(s) whose newest source is older than {since.isoformat()}:")
        for platform, source in stale:
            print(f"  {platform.slug}: {source.as_of.isoformat()} {source.url}")
    return 0


def _catalogue_report(args: argparse.Namespace) -> int:
    from app.catalogue.loader import get_catalogue
    from app.catalogue.report import build_report, report_lines

    report = build_report(list(get_catalogue().platforms), _as_of(args), args.period)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print("\n".join(report_lines(report)))
    return 0


def _catalogue_suggestions(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from app.catalogue.suggestions import list_suggestions
    from app.db import get_engine

    with Session(get_engine()) as db:
        rows = [
            {
                "date": row.created_at.isoformat(timespec="seconds"),
                "platform": row.platform_slug,
                "kind": row.kind,
                "value": row.value,
                "source_url": row.source_url,
            }
            for row in list_suggestions(db)
        ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        value = str(row["value"]).replace("\n", " / ")
        source = row["source_url"] or "(no source given)"
        print(f"{row['date']}\t{row['platform']}\t{row['kind']}\t{value}\t{source}")
    print(f"{len(rows)} suggestion(s); the catalogue changes only when a maintainer edits a record")
    return 0


def _period(text: str) -> str:
    from app.catalogue.report import parse_period

    try:
        parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text


def _catalogue_list(args: argparse.Namespace) -> int:
    from app.catalogue.loader import get_catalogue

    platforms = get_catalogue().platforms
    if args.json:
        print(json.dumps([p.model_dump(mode="json") for p in platforms], ensure_ascii=False))
    else:
        for platform in platforms:
            print(f"{platform.slug}\t{platform.name}\t{platform.quality}")
    return 0


def _catalogue_search(args: argparse.Namespace) -> int:
    from app.catalogue.loader import get_catalogue
    from app.catalogue.search import search_platforms

    found = search_platforms(get_catalogue(), args.query)
    if args.json:
        print(json.dumps([p.model_dump(mode="json") for p in found], ensure_ascii=False))
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
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "finess": row.finess,
                        "name": row.display_name,
                        "address_lines": row.address_lines,
                        "category": row.kind,
                        "public": row.public,
                    }
                    for row in result.establishments
                ],
                ensure_ascii=False,
            )
        )
    else:
        for row in result.establishments:
            print(f"{row.finess}\t{row.display_name}\t{row.address_lines[-1]}")
    return 0


def _discover(args: argparse.Namespace) -> int:
    from app.catalogue.checklist import OrganisationInput, build_checklist, wanted_others
    from app.catalogue.labels import CATEGORY_LABELS, KIND_LABELS
    from app.catalogue.loader import get_catalogue
    from app.catalogue.questionnaire import QUESTIONS, clean_answer, question_named
    from app.i18n import gettext as _

    catalogue = get_catalogue()
    if args.questions:
        for question in QUESTIONS:
            print(f"{question.id}: {_(question.text)}")
            values = [platform.slug for platform in question.candidates(catalogue)]
            if question.other:
                values.append("autre")
            print("    " + ", ".join(values))
        return 0
    answers: dict[str, list[str]] = {}
    for raw in args.answer:
        question_id, _sep, values = raw.partition("=")
        asked = question_named(question_id.strip())
        if asked is None:
            print(f"--answer {raw}: no question {question_id!r} (see --questions)", file=sys.stderr)
            return 2
        try:
            chosen = [value.strip() for value in values.split(",") if value.strip()]
            answers[asked.id] = clean_answer(asked, catalogue, chosen)
        except ValueError as exc:
            print(f"--answer {raw}: {exc} is not a choice of {asked.id}", file=sys.stderr)
            return 2
    organisations: list[OrganisationInput] = []
    if args.organisations:
        try:
            raw_organisations = json.loads(Path(args.organisations).read_text(encoding="utf-8"))
            organisations = [OrganisationInput.model_validate(o) for o in raw_organisations]
        except (OSError, ValueError, TypeError) as exc:
            print(f"{args.organisations}: {exc}", file=sys.stderr)
            return 2
    items = build_checklist(catalogue, answers, organisations)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "key": item.key,
                        "name": item.name,
                        "selection": item.selection(item.kind),
                        "choices": list(item.choices),
                        "reason": item.reason,
                        "retention": item.retention,
                        "check_address": item.check_address,
                        "selected": item.selected,
                    }
                    for item in items
                ],
                ensure_ascii=False,
            )
        )
        return 0
    for item in items:
        mark = "[x]" if item.selected else "[ ]"
        print(f"{mark} {item.name}: {_(KIND_LABELS[item.kind])}")
        print(f"    {item.reason}")
        if item.retention:
            print(f"    {item.retention}")
        if item.check_address:
            print("    " + _("Adresse à vérifier avant d'envoyer"))
    for category in wanted_others(answers):
        label = _(CATEGORY_LABELS[category])
        print(
            f"+ {label}: `reprise finess search NAME --town TOWN` or `reprise organisations search`"
        )
    return 0


def _organisations_search(args: argparse.Namespace) -> int:
    from app.catalogue.companies import CompanySearchError, build_company_search
    from app.config import get_settings

    client = build_company_search(get_settings().company_search_url)
    try:
        companies = client.search(args.query)
    except CompanySearchError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        client.close()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "siren": company.siren,
                        "name": company.name,
                        "address_lines": company.address_lines,
                        "public": company.public,
                        "category": company.category,
                        "active": company.active,
                    }
                    for company in companies
                ],
                ensure_ascii=False,
            )
        )
    else:
        for company in companies:
            print(f"{company.siren}\t{company.name}\t{', '.join(company.address_lines)}")
    return 0


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


def _print_invalid(errors: dict[str, str]) -> int:
    for field, message in errors.items():
        print(f"{field}: {message}", file=sys.stderr)
    return 2


def _read_json(path: str) -> tuple[object, str | None]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8")), None
    except OSError as exc:
        return None, f"cannot read {path}: {exc.strerror}"
    except json.JSONDecodeError as exc:
        return None, f"{path}: not valid JSON: {exc.msg} (line {exc.lineno})"


def _read_identity(path: str) -> object:
    from app.letters.identity import Identity

    try:
        return Identity.model_validate_json(Path(path).read_bytes())
    except OSError as exc:
        print(f"cannot read {path}: {exc.strerror}", file=sys.stderr)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            print(f"{path}: {where}: {error['msg']}", file=sys.stderr)
    return None


def _letter_options(args: argparse.Namespace) -> tuple[dict[str, object], str | None]:
    """The kind's options from --options and the dedicated flags (flags win)."""
    from app.letters.options import OPTION_MODELS

    raw: dict[str, object] = {}
    if args.options:
        loaded, problem = (
            _read_json(args.options[1:])
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
    from app.clock import today
    from app.errors import DomainError, Invalid
    from app.letters.email import letter_eml
    from app.letters.render import letter_pdf, letter_text, write_atomically
    from app.letters.service import (
        RecipientInput,
        make_letter,
        parse_options,
        resolve_recipient,
    )

    identity = _read_identity(args.identity)
    if identity is None:
        return 2
    recipient_input = None
    if args.recipient_file:
        loaded, problem = _read_json(args.recipient_file)
        if problem:
            print(problem, file=sys.stderr)
            return 2
        try:
            recipient_input = RecipientInput.model_validate(loaded)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(part) for part in error["loc"])
                print(f"{args.recipient_file}: {where}: {error['msg']}", file=sys.stderr)
            return 2
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
        return _print_invalid(exc.errors)
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    write_atomically(Path(args.out), data)
    print(f"{args.out}: {letter.title}")
    return 0


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
        print(json.dumps(deadline_json(deadline), ensure_ascii=False))
    return 0


def _backup(args: argparse.Namespace) -> int:
    from app.backup import BackupError, backup_database
    from app.config import get_settings

    try:
        outcome = backup_database(get_settings().database_url, Path(args.out))
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"{outcome.path}: {outcome.backend} backup, {len(outcome.rows)} tables, "
        f"{outcome.total_rows} rows, migration {outcome.revision or 'none'}"
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    from app.backup import BackupError, restore_database
    from app.config import get_settings

    try:
        outcome = restore_database(get_settings().database_url, Path(args.file), args.force)
    except BackupError as exc:
        print(f"restore failed, the database is unchanged: {exc}", file=sys.stderr)
        return 1
    print(
        f"restored {args.file}: {len(outcome.rows)} tables, {outcome.total_rows} rows, "
        f"migration {outcome.revision}"
    )
    print(_migration_advice(outcome.revision))
    return 0


def _migration_advice(revision: str | None) -> str:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from app.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    if revision is None:
        return "warning: the backup holds no migration version"
    if revision in scripts.get_heads():
        return "the database is at the current migration"
    try:
        scripts.get_revision(revision)
    except CommandError:
        return "warning: this backup comes from a newer Reprise; update Reprise before serving"
    return "the backup is from an older Reprise: run `reprise db upgrade` before serving"


def _add_deadline_command(commands: Any) -> None:
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


def _add_backup_commands(commands: Any) -> None:
    backup = commands.add_parser("backup", help="a consistent copy of the database")
    backup.add_argument("--out", required=True, help="the backup file to write")
    backup.set_defaults(func=_backup)
    restore = commands.add_parser("restore", help="replace the database by a backup")
    restore.add_argument("file", help="a file written by `reprise backup`")
    restore.add_argument(
        "--force", action="store_true", help="replace a database that already holds data"
    )
    restore.set_defaults(func=_restore)


def _jobs_run(args: argparse.Namespace) -> int:
    import app.privacy.purges
    import app.proceedings.privacy
    import app.proceedings.reminders  # noqa: F401  (registers the reminder kind)
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


def _proceeding_json(view: Any) -> dict[str, object]:
    due = view.due
    return {
        "id": str(view.id),
        "platform": view.platform,
        "organisation": view.organisation,
        "recipient_name": view.recipient_name,
        "right": view.right,
        "status": view.facts.state,
        "due": due.day.isoformat() if due.day else None,
        "due_basis": due.basis,
        "receipt": due.receipt.day.isoformat() if due.receipt else None,
        "receipt_estimated": bool(due.receipt and due.receipt.estimated),
        "days_left": view.days_left,
        "next_step": view.step.code,
        "cada_due": view.cada.due.isoformat() if view.cada else None,
    }


def _proceedings_list(args: argparse.Namespace) -> int:
    """A person's tracked requests, overdue first (the dashboard, for scripts)."""
    from sqlmodel import Session

    from app.accounts.users import find_by_email
    from app.clock import today
    from app.db import get_engine
    from app.organisations.access import actor_for
    from app.proceedings.access import member_proceedings, visible
    from app.proceedings.service import listing, view_of

    with Session(get_engine()) as db:
        user = find_by_email(db, args.email)
        if user is None:
            print("no account with this email", file=sys.stderr)
            return 2
        day = today()
        seen = visible(db, actor_for(db, user), day)
        views = [view_of(p, day) for p in listing(db, seen.own_file_ids)]
        for file, mandate in seen.member_files:
            views += [view_of(p, day) for p in member_proceedings(db, file, mandate)]
    views.sort(key=lambda v: (v.facts.state == "closed", v.due.day is None, v.due.day or date.max))
    rows = [_proceeding_json(view) for view in views]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        due, status = row["due"] or "-", row["status"]
        to = row["platform"] or row["recipient_name"]
        print(f"{due:<10}  {status:<10}  {to}  {row['right']}  -> {row['next_step']}")
    return 0


def _proceedings_record(args: argparse.Namespace) -> int:
    """Record one event of a proceeding, as the lifecycle allows (exit 2 naming the field)."""
    import uuid

    from pydantic import ValidationError
    from sqlmodel import Session

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
        for error in exc.errors():
            print(f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}", file=sys.stderr)
        return 2
    with Session(get_engine(), expire_on_commit=False) as db:
        proceeding = db.get(Proceeding, uuid.UUID(args.proceeding))
        if proceeding is None:
            print("no proceeding with this id", file=sys.stderr)
            return 2
        try:
            view = record(db, proceeding, event, today())
        except Invalid as exc:
            return _print_invalid(exc.errors)
        db.commit()
    print(json.dumps(_proceeding_json(view), ensure_ascii=False))
    return 0


def _add_proceedings_commands(commands: Any) -> None:
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


def _keys_rotate(args: argparse.Namespace) -> int:
    from app.db import get_engine
    from app.security.crypto import get_keyring
    from app.security.rotation import rotate

    keyring = get_keyring()
    report = rotate(get_engine(), keyring)
    for column, count in report.rewritten.items():
        if count:
            print(f"{column}\t{count}")
    print(f"{report.total} value(s) re-encrypted under key {keyring.current_id}")
    return 0


def _keys_reindex(args: argparse.Namespace) -> int:
    from app.db import get_engine
    from app.security.rotation import reindex_emails

    changed = reindex_emails(get_engine())
    print(f"{changed} account(s) re-indexed under the current secret key")
    return 0


def _pack(args: argparse.Namespace) -> int:
    from app.clock import today
    from app.errors import DomainError, Invalid
    from app.letters.packs import build_letters, pack_pdf, pack_zip, parse_items
    from app.letters.render import write_atomically

    identity = _read_identity(args.identity)
    if identity is None:
        return 2
    loaded, problem = _read_json(args.items)
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
        return _print_invalid(exc.errors)
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    write_atomically(out, data)
    print(f"{args.out}: {len(letters)} letter(s)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reprise", description="Reprise: take back control of your health data."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=_serve)

    db = commands.add_parser("db", help="database migrations").add_subparsers(
        dest="db_command", required=True
    )
    upgrade = db.add_parser("upgrade", help="apply migrations")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(func=_db_upgrade)

    catalogue = commands.add_parser("catalogue", help="the platform catalogue").add_subparsers(
        dest="catalogue_command", required=True
    )
    check = catalogue.add_parser("check", help="validate every record")
    check.add_argument(
        "--stale-after", type=_period, help="also list records whose newest source is older (18m)"
    )
    check.add_argument("--as-of", help="YYYY-MM-DD: count ages from this day (default: today)")
    check.add_argument("--directory", help=argparse.SUPPRESS)
    check.set_defaults(func=_catalogue_check)
    report = catalogue.add_parser("report", help="coverage by category and quality, freshness")
    report.add_argument("--json", action="store_true")
    report.add_argument("--period", type=_period, default="18m", help="freshness period (18m)")
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

    _add_finess_commands(commands)
    _add_discovery_commands(commands)
    jobs = commands.add_parser("jobs", help="background jobs").add_subparsers(
        dest="jobs_command", required=True
    )
    jobs.add_parser("run", help="run what is due once (reminders, purges)").set_defaults(
        func=_jobs_run
    )

    keys = commands.add_parser("keys", help="encryption keys").add_subparsers(
        dest="keys_command", required=True
    )
    keys.add_parser("rotate", help="re-encrypt personal data under the newest key").set_defaults(
        func=_keys_rotate
    )
    keys.add_parser(
        "reindex",
        help="recompute the email look-up index after REPRISE_SECRET_KEY changed",
    ).set_defaults(func=_keys_reindex)

    _letter_parser(commands)
    _pack_parser(commands)
    _add_deadline_command(commands)
    _add_backup_commands(commands)
    _add_proceedings_commands(commands)
    add_observatory_commands(commands)
    return parser


def _letter_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from app.letters.options import (
        ACCESS_ITEMS,
        ERASURE_GROUNDS,
        KINDS,
        MANDATE_RIGHTS,
        OBJECTION_PURPOSES,
        REQUESTERS,
        RIGHT_KINDS,
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


def _pack_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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


def _add_finess_commands(commands: Any) -> None:
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


def _add_discovery_commands(commands: Any) -> None:
    discover = commands.add_parser(
        "discover", help="the checklist of platforms to write to, from answers to the questions"
    )
    discover.add_argument("--questions", action="store_true", help="list questions and choices")
    discover.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="QUESTION=SLUG,SLUG",
        help="an answer, e.g. rendez-vous=doctolib,maiia (repeat for each question)",
    )
    discover.add_argument(
        "--organisations", help="JSON file: organisations outside the catalogue to add"
    )
    discover.add_argument("--json", action="store_true")
    discover.set_defaults(func=_discover)
    organisations = commands.add_parser(
        "organisations", help="organisations outside the catalogue"
    ).add_subparsers(dest="organisations_command", required=True)
    search = organisations.add_parser(
        "search", help="search the State's company register (REPRISE_COMPANY_SEARCH_URL)"
    )
    search.add_argument("query", help="a name or a SIREN")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=_organisations_search)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
