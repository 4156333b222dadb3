"""Consistent backups of the database, and restores that apply completely or not at all.

SQLite: SQLite's online backup API copies a snapshot while the service keeps writing, and a
restore copies the backup into the database in one write transaction. PostgreSQL: `pg_dump -Fc`
(a snapshot too); a restore drops the old tables and loads the backup in one transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from app.backup.common import POSTGRES_NAMES, BackupError, Outcome
from app.backup.postgres import backup_postgres, restore_postgres
from app.backup.sqlite import backup_sqlite, restore_sqlite

__all__ = ["BackupError", "Outcome", "backup_database", "restore_database"]


def backup_database(database_url: str, out: Path) -> Outcome:
    """Write a consistent copy of the database at `database_url` to `out` (replaced at once)."""
    url = make_url(database_url)
    if out.is_dir():
        raise BackupError(f"{out} is a folder; give a file name")
    try:
        if url.get_backend_name() == "sqlite":
            return backup_sqlite(url, out)
        if url.get_backend_name() in POSTGRES_NAMES:
            return backup_postgres(url, out)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite refused the backup: {exc}") from exc
    except OSError as exc:
        raise BackupError(f"cannot write {out}: {exc.strerror}") from exc
    raise BackupError(f"no backup method for {url.get_backend_name()}")


def restore_database(database_url: str, backup: Path, force: bool = False) -> Outcome:
    """Replace the database at `database_url` by `backup`, entirely or not at all.

    Refuses a database holding rows unless `force`.
    """
    url = make_url(database_url)
    if not backup.is_file():
        raise BackupError(f"there is no backup file at {backup}")
    try:
        if url.get_backend_name() == "sqlite":
            return restore_sqlite(url, backup, force)
        if url.get_backend_name() in POSTGRES_NAMES:
            return restore_postgres(url, backup, force)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite refused the restore: {exc}") from exc
    except OSError as exc:
        raise BackupError(f"restore failed: {exc.strerror}") from exc
    raise BackupError(f"no restore method for {url.get_backend_name()}")
