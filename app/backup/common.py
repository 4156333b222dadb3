"""What the SQLite and PostgreSQL backups share: the error, the outcome, private temporary
files published in one step, and the refusal to restore over data."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

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
def private_temporary(next_to: Path) -> Iterator[Path]:
    """An empty file only its owner can read, beside `next_to`; removed unless renamed."""
    next_to.parent.mkdir(parents=True, exist_ok=True)
    path = next_to.with_name(f".{next_to.name}.{secrets.token_hex(4)}.tmp")
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield path
    finally:
        with suppress(FileNotFoundError):
            path.unlink()


def publish(temporary: Path, final: Path) -> None:
    """Make `temporary` durable, then rename it to `final` in one step."""
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    directory = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def magic(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(16)
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from exc


def refuse_if_not_empty(rows: dict[str, int]) -> None:
    holding = {table: n for table, n in rows.items() if n and table not in BOOKKEEPING_TABLES}
    if holding:
        total = sum(holding.values())
        raise BackupError(
            f"the database is not empty ({total} rows in {len(holding)} tables); "
            "restore into an empty database, or pass --force to replace its contents"
        )
