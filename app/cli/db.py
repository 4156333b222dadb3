"""`reprise db upgrade`, `reprise backup`, `reprise restore`: the database itself."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def _db_upgrade(args: argparse.Namespace) -> int:
    from app.migrate import upgrade

    upgrade(args.revision)
    print(f"database at {args.revision}")
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
    from app.migrate import restored_revision_advice

    try:
        outcome = restore_database(get_settings().database_url, Path(args.file), args.force)
    except BackupError as exc:
        print(f"restore failed, the database is unchanged: {exc}", file=sys.stderr)
        return 1
    print(
        f"restored {args.file}: {len(outcome.rows)} tables, {outcome.total_rows} rows, "
        f"migration {outcome.revision}"
    )
    print(restored_revision_advice(outcome.revision))
    return 0


def add_commands(commands: Any) -> None:
    db = commands.add_parser("db", help="database migrations").add_subparsers(
        dest="db_command", required=True
    )
    upgrade = db.add_parser("upgrade", help="apply migrations")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(func=_db_upgrade)


def add_backup_commands(commands: Any) -> None:
    backup = commands.add_parser("backup", help="a consistent copy of the database")
    backup.add_argument("--out", required=True, help="the backup file to write")
    backup.set_defaults(func=_backup)
    restore = commands.add_parser("restore", help="replace the database by a backup")
    restore.add_argument("file", help="a file written by `reprise backup`")
    restore.add_argument(
        "--force", action="store_true", help="replace a database that already holds data"
    )
    restore.set_defaults(func=_restore)
