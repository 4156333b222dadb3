"""SQLite: the online backup API copies a snapshot while the service keeps writing; a restore
copies the backup into the database in one write transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL

from app.backup.common import (
    BUSY_TIMEOUT_MS,
    PGDUMP_MAGIC,
    SQLITE_MAGIC,
    BackupError,
    Outcome,
    magic,
    private_temporary,
    publish,
    refuse_if_not_empty,
)


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _sqlite_connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    else:
        connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return connection


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def _sqlite_rows(connection: sqlite3.Connection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in _sqlite_tables(connection):
        quoted = '"' + table.replace('"', '""') + '"'
        counts[table] = int(connection.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0])  # noqa: S608
    return counts


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    if "alembic_version" not in _sqlite_tables(connection):
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def _sqlite_check(connection: sqlite3.Connection, what: str) -> None:
    result = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        raise BackupError(f"{what} fails SQLite's integrity check: {'; '.join(result[:3])}")


def backup_sqlite(url: URL, out: Path) -> Outcome:
    database = _sqlite_path(url)
    if not database.is_file():
        raise BackupError(f"there is no database at {database}")
    source = _sqlite_connect(database)
    try:
        with private_temporary(out) as temporary:
            copy = _sqlite_connect(temporary)
            try:
                # One step: the whole copy is read in one transaction, a consistent snapshot
                # even while the service writes (WAL readers do not block writers).
                source.backup(copy)
                # One self-contained file, without -wal or -shm beside it.
                copy.execute("PRAGMA journal_mode=DELETE")
                _sqlite_check(copy, "the backup")
                rows = _sqlite_rows(copy)
                revision = _sqlite_revision(copy)
            finally:
                copy.close()
            publish(temporary, out)
    finally:
        source.close()
    return Outcome(out, "sqlite", rows, revision)


def restore_sqlite(url: URL, backup: Path, force: bool) -> Outcome:
    head = magic(backup)
    if head.startswith(PGDUMP_MAGIC):
        raise BackupError(f"{backup} is a PostgreSQL backup; the database is SQLite")
    if not head.startswith(SQLITE_MAGIC):
        raise BackupError(f"{backup} is not a backup made by `reprise backup`")
    source = _sqlite_connect(backup, read_only=True)
    try:
        try:
            _sqlite_check(source, str(backup))
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{backup} is damaged: {exc}") from exc
        revision = _sqlite_revision(source)
        if revision is None:
            raise BackupError(f"{backup} is not a Reprise database (no migration version)")
        database = _sqlite_path(url)
        database.parent.mkdir(parents=True, exist_ok=True)
        target = _sqlite_connect(database)
        try:
            if not force:
                refuse_if_not_empty(_sqlite_rows(target))
            # The backup API writes the whole copy in one write transaction of the target:
            # a crash mid-way leaves the old database, never half of each. A WAL target
            # stays in WAL mode.
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
            _sqlite_check(target, "the restored database")
            rows = _sqlite_rows(target)
        finally:
            target.close()
    finally:
        source.close()
    return Outcome(database, "sqlite", rows, revision)
