"""Consistent backups of the database, and restores that apply completely or not at all.

SQLite: SQLite's online backup API copies a snapshot while the service keeps writing, and a
restore copies the backup into the database in one write transaction. PostgreSQL: `pg_dump -Fc`
(a snapshot too); a restore drops the old tables and loads the backup in one transaction.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
BUSY_TIMEOUT_MS = 10_000
POSTGRES_NAMES = frozenset({"postgresql", "postgres"})
# Tables that hold no data of their own: a database with only these is empty.
BOOKKEEPING_TABLES = frozenset({"alembic_version"})


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    """What a backup or restore did: the file, and the rows per table it holds."""

    path: Path
    backend: str
    rows: dict[str, int]
    revision: str | None

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# ---------------------------------------------------------------- files


@contextmanager
def _private_temporary(next_to: Path) -> Iterator[Path]:
    """An empty file only its owner can read, beside `next_to`; removed unless renamed."""
    next_to.parent.mkdir(parents=True, exist_ok=True)
    path = next_to.with_name(f".{next_to.name}.{secrets.token_hex(4)}.tmp")
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield path
    finally:
        with suppress(FileNotFoundError):
            path.unlink()


def _publish(temporary: Path, final: Path) -> None:
    """Make `temporary` durable, then rename it to `final` in one step."""
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    directory = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _magic(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(16)
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from exc


# ---------------------------------------------------------------- SQLite


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


def _backup_sqlite(url: URL, out: Path) -> Outcome:
    database = _sqlite_path(url)
    if not database.is_file():
        raise BackupError(f"there is no database at {database}")
    source = _sqlite_connect(database)
    try:
        with _private_temporary(out) as temporary:
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
            _publish(temporary, out)
    finally:
        source.close()
    return Outcome(out, "sqlite", rows, revision)


def _restore_sqlite(url: URL, backup: Path, force: bool) -> Outcome:
    magic = _magic(backup)
    if magic.startswith(PGDUMP_MAGIC):
        raise BackupError(f"{backup} is a PostgreSQL backup; the database is SQLite")
    if not magic.startswith(SQLITE_MAGIC):
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
                _refuse_if_not_empty(_sqlite_rows(target))
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


# ---------------------------------------------------------------- PostgreSQL


@dataclass(frozen=True)
class _Postgres:
    """How to reach the server with libpq's tools: a conninfo without password, an env."""

    conninfo: str
    env: dict[str, str]
    bindir: Path | None

    def connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        password = self.env.get("PGPASSWORD")
        conninfo = make_conninfo(self.conninfo, password=password) if password else self.conninfo
        return psycopg.connect(conninfo, connect_timeout=10)

    def tool(self, name: str) -> str:
        if self.bindir is not None and (self.bindir / name).is_file():
            return str(self.bindir / name)
        found = shutil.which(name)
        if found is None:
            raise BackupError(
                f"{name} is not installed; install the PostgreSQL client of the server's "
                "major version (on Debian: apt install postgresql-client-15)"
            )
        return found

    def run(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        result = subprocess.run(  # noqa: S603  (fixed tool, arguments as a list)
            list(args), env=self.env, capture_output=True, check=False
        )
        if result.returncode != 0:
            message = result.stderr.decode(errors="replace").strip().splitlines()
            raise BackupError(f"{Path(args[0]).name} failed: " + " / ".join(message[-5:]))
        return result


def _postgres(url: URL) -> _Postgres:
    params: dict[str, str] = {
        key: str(value)
        for key, value in url.translate_connect_args(username="user", database="dbname").items()
        if value is not None and key != "password"
    }
    params.update({key: str(value) for key, value in url.query.items()})
    env = dict(os.environ)
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    server = _Postgres(make_conninfo("", **params), env, None)
    try:
        with server.connect() as conn:
            major = conn.info.server_version // 10000
    except psycopg.Error as exc:
        raise BackupError(f"cannot connect to PostgreSQL: {exc}".strip()) from exc
    # Debian keeps each major version's tools apart: prefer those of the server's version.
    bindir = Path(f"/usr/lib/postgresql/{major}/bin")
    if bindir.is_dir():
        server = _Postgres(server.conninfo, env, bindir)
    version = server.run(server.tool("pg_dump"), "--version").stdout.decode()
    match = re.search(r"(\d+)(?:\.\d+)?", version)
    if match is None or int(match.group(1)) < major:
        raise BackupError(
            f"{version.strip()} is older than the PostgreSQL {major} server; install "
            f"postgresql-client-{major}"
        )
    return server


def _postgres_rows(server: _Postgres) -> dict[str, int]:
    counts: dict[str, int] = {}
    with server.connect() as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        for (table,) in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("public", table))
            row = conn.execute(query).fetchone()
            counts[str(table)] = int(row[0]) if row else 0
    return counts


def _postgres_revision(server: _Postgres) -> str | None:
    with server.connect() as conn:
        exists = conn.execute("SELECT to_regclass('public.alembic_version')").fetchone()
        if not exists or exists[0] is None:
            return None
        row = conn.execute("SELECT version_num FROM public.alembic_version").fetchone()
        return str(row[0]) if row else None


def _backup_postgres(url: URL, out: Path) -> Outcome:
    server = _postgres(url)
    with _private_temporary(out) as temporary:
        server.run(
            server.tool("pg_dump"),
            "--format=custom",
            "--no-password",
            f"--file={temporary}",
            f"--dbname={server.conninfo}",
        )
        # Read the archive back before calling it a backup.
        server.run(server.tool("pg_restore"), "--list", str(temporary))
        rows = _postgres_rows(server)
        revision = _postgres_revision(server)
        _publish(temporary, out)
    return Outcome(out, "postgresql", rows, revision)


# Runs inside the restore's transaction: drops what the backup will recreate, and whatever a
# later migration added, so the result is exactly the backup.
_DROP_PUBLIC_OBJECTS = r"""
DO $reprise$
DECLARE
    statement text;
BEGIN
    FOR statement IN
        SELECT format(
            'DROP %s IF EXISTS %I.%I CASCADE',
            CASE c.relkind
                WHEN 'v' THEN 'VIEW'
                WHEN 'm' THEN 'MATERIALIZED VIEW'
                WHEN 'S' THEN 'SEQUENCE'
                WHEN 'f' THEN 'FOREIGN TABLE'
                ELSE 'TABLE'
            END,
            n.nspname, c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    LOOP
        EXECUTE statement;
    END LOOP;
    FOR statement IN
        SELECT format('DROP TYPE IF EXISTS %I.%I CASCADE', n.nspname, t.typname)
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')
    LOOP
        EXECUTE statement;
    END LOOP;
END
$reprise$;
"""


def _restore_postgres(url: URL, backup: Path, force: bool) -> Outcome:
    magic = _magic(backup)
    if magic.startswith(SQLITE_MAGIC):
        raise BackupError(f"{backup} is a SQLite backup; the database is PostgreSQL")
    if not magic.startswith(PGDUMP_MAGIC):
        raise BackupError(f"{backup} is not a backup made by `reprise backup`")
    server = _postgres(url)
    listing = server.run(server.tool("pg_restore"), "--list", str(backup)).stdout.decode()
    if not re.search(r"TABLE public alembic_version\b", listing):
        raise BackupError(f"{backup} is not a Reprise database (no migration version)")
    if not force:
        _refuse_if_not_empty(_postgres_rows(server))
    with tempfile.TemporaryDirectory(prefix="reprise-restore-") as folder:
        script = Path(folder) / "restore.sql"
        prelude = Path(folder) / "prelude.sql"
        prelude.write_text(_DROP_PUBLIC_OBJECTS, encoding="utf-8")
        # The whole archive becomes a script first: a damaged archive fails here, before
        # anything in the database has changed.
        server.run(
            server.tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            f"--file={script}",
            str(backup),
        )
        # One transaction for the drops and the whole load: any error rolls everything back.
        server.run(
            server.tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--no-password",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            f"--file={prelude}",
            f"--file={script}",
            f"--dbname={server.conninfo}",
        )
    return Outcome(backup, "postgresql", _postgres_rows(server), _postgres_revision(server))


# ---------------------------------------------------------------- entry points


def _refuse_if_not_empty(rows: dict[str, int]) -> None:
    holding = {table: n for table, n in rows.items() if n and table not in BOOKKEEPING_TABLES}
    if holding:
        total = sum(holding.values())
        raise BackupError(
            f"the database is not empty ({total} rows in {len(holding)} tables); "
            "restore into an empty database, or pass --force to replace its contents"
        )


def backup_database(database_url: str, out: Path) -> Outcome:
    """Write a consistent copy of the database at `database_url` to `out` (replaced at once)."""
    url = make_url(database_url)
    if out.is_dir():
        raise BackupError(f"{out} is a folder; give a file name")
    try:
        if url.get_backend_name() == "sqlite":
            return _backup_sqlite(url, out)
        if url.get_backend_name() in POSTGRES_NAMES:
            return _backup_postgres(url, out)
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
            return _restore_sqlite(url, backup, force)
        if url.get_backend_name() in POSTGRES_NAMES:
            return _restore_postgres(url, backup, force)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite refused the restore: {exc}") from exc
    except OSError as exc:
        raise BackupError(f"restore failed: {exc.strerror}") from exc
    raise BackupError(f"no restore method for {url.get_backend_name()}")
