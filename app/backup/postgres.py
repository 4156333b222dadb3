"""PostgreSQL: `pg_dump -Fc` takes a snapshot; a restore drops the old tables and loads the
backup in one transaction."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import URL

from app.backup.common import (
    PGDUMP_MAGIC,
    SQLITE_MAGIC,
    BackupError,
    Outcome,
    magic,
    private_temporary,
    publish,
    refuse_if_not_empty,
)


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


def backup_postgres(url: URL, out: Path) -> Outcome:
    server = _postgres(url)
    with private_temporary(out) as temporary:
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
        publish(temporary, out)
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


def restore_postgres(url: URL, backup: Path, force: bool) -> Outcome:
    head = magic(backup)
    if head.startswith(SQLITE_MAGIC):
        raise BackupError(f"{backup} is a SQLite backup; the database is PostgreSQL")
    if not head.startswith(PGDUMP_MAGIC):
        raise BackupError(f"{backup} is not a backup made by `reprise backup`")
    server = _postgres(url)
    listing = server.run(server.tool("pg_restore"), "--list", str(backup)).stdout.decode()
    if not re.search(r"TABLE public alembic_version\b", listing):
        raise BackupError(f"{backup} is not a Reprise database (no migration version)")
    if not force:
        refuse_if_not_empty(_postgres_rows(server))
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
