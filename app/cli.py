"""The `reprise` command: parses arguments and calls services, nothing more."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pydantic import ValidationError


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.config import get_settings
    from app.logs import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,
        proxy_headers=True,
        log_config=None,
    )
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from app.migrate import upgrade

    upgrade(args.revision)
    print(f"database at {args.revision}")
    return 0


def _catalogue_check(args: argparse.Namespace) -> int:
    from app.catalogue.loader import load_directory

    result = load_directory()
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"{len(result.problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{len(result.platforms)} platform records, all valid")
    return 0


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


def _letter(args: argparse.Namespace) -> int:
    from app.clock import today
    from app.errors import DomainError, Invalid
    from app.letters.email import letter_eml
    from app.letters.identity import Identity
    from app.letters.render import letter_pdf, letter_text, write_atomically
    from app.letters.service import make_letter, parse_options, resolve_recipient

    try:
        identity = Identity.model_validate_json(Path(args.identity).read_bytes())
    except OSError as exc:
        print(f"cannot read {args.identity}: {exc.strerror}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            print(f"{args.identity}: {where}: {error['msg']}", file=sys.stderr)
        return 2
    try:
        letter = make_letter(
            args.kind,
            identity,
            resolve_recipient(args.platform, None),
            parse_options(args.kind, {}),
            args.date or today(),
            args.lang,
        )
    except Invalid as exc:
        for field, message in exc.errors.items():
            print(f"{field}: {message}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    if args.format == "pdf":
        data = letter_pdf(letter)
    elif args.format == "txt":
        data = letter_text(letter).encode()
    else:
        data = letter_eml(letter, identity.email)
    write_atomically(Path(args.out), data)
    print(f"{args.out}: {letter.title}")
    return 0


def _jobs_run(args: argparse.Namespace) -> int:
    import app.jobs.purges  # noqa: F401  (registers the purge kinds)
    from app.config import get_settings
    from app.db import get_engine
    from app.jobs.runner import run_due
    from app.logs import configure_logging

    configure_logging(get_settings().log_level)
    report = run_due(get_engine())
    for kind, count in sorted(report.done.items()):
        print(f"{kind}\t{count}")
    print(f"{sum(report.done.values())} job(s) done, {report.failed} failed")
    return 1 if report.failed else 0


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
    catalogue.add_parser("check", help="validate every record").set_defaults(func=_catalogue_check)
    listing = catalogue.add_parser("list", help="every record")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=_catalogue_list)
    search = catalogue.add_parser("search", help="search like the site does")
    search.add_argument("query")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=_catalogue_search)

    jobs = commands.add_parser("jobs", help="background jobs").add_subparsers(
        dest="jobs_command", required=True
    )
    jobs.add_parser("run", help="run what is due once (purges)").set_defaults(func=_jobs_run)

    keys = commands.add_parser("keys", help="encryption keys").add_subparsers(
        dest="keys_command", required=True
    )
    keys.add_parser("rotate", help="re-encrypt personal data under the newest key").set_defaults(
        func=_keys_rotate
    )

    letter = commands.add_parser("letter", help="write one letter")
    letter.add_argument("--kind", required=True)
    letter.add_argument("--platform", required=True, help="platform slug")
    letter.add_argument("--identity", required=True, help="identity JSON file")
    letter.add_argument("--out", required=True)
    letter.add_argument("--lang", choices=("fr", "en"))
    letter.add_argument("--format", choices=("pdf", "txt", "eml"), default="pdf")
    letter.add_argument("--date", type=date.fromisoformat, help="date printed on the letter")
    letter.set_defaults(func=_letter)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
