"""`reprise backup` and `reprise restore` on SQLite and PostgreSQL (security.md, item 22).

Back up, restore into a fresh database, and compare the row count and a content hash of every
table. Restores refuse a database holding data unless forced, and a restore that fails changes
nothing.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from app.backup import BackupError, backup_database, restore_database
from app.config import PROJECT_ROOT
from app.db import make_engine
from app.migrate import upgrade
from app.models.base import utcnow
from app.models.session import Draft, WebSession
from tests.conftest import drop_postgres_database, fresh_database_url
from tests.support import commands

Fingerprint = dict[str, tuple[int, str]]


@pytest.fixture
def new_database(backend: str, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Makes empty databases of the current backend; PostgreSQL ones are dropped afterwards."""
    made: list[str] = []

    def make(label: str) -> str:
        url = fresh_database_url(backend, tmp_path, label)
        made.append(url)
        return url

    yield make
    if backend == "postgresql":
        for url in made:
            drop_postgres_database(make_url(url).database or "")


def populate(url: str, sessions: int, marker: str, payload_bytes: int | None = None) -> None:
    """Migrate and fill with sessions and drafts, some with awkward values."""
    upgrade("head", url)
    engine = make_engine(url)
    now = utcnow()
    with Session(engine) as db:
        for number in range(sessions):
            web = WebSession(
                token_hash=hashlib.sha256(f"{marker}-{number}".encode()).hexdigest(),
                created_at=now - timedelta(minutes=number),
                last_seen_at=now,
                expires_at=now + timedelta(days=7, microseconds=number),
            )
            db.add(web)
            db.flush()
            if number % 3:
                size = number * 7 if payload_bytes is None else payload_bytes
                payload = os.urandom(size) + b"\x00\xff" + f"é{marker}".encode()
                db.add(
                    Draft(session_id=web.id, payload=payload, expires_at=now + timedelta(hours=1))
                )
        db.commit()
    engine.dispose()


def _plain(value: object) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return repr(value)


def fingerprint(url: str) -> Fingerprint:
    """Every table's row count and a hash of its rows in primary-key order."""
    engine = make_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        result: Fingerprint = {}
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                order = list(table.primary_key.columns) or list(table.columns)
                digest = hashlib.sha256()
                count = 0
                for row in connection.execute(select(table).order_by(*order)):
                    digest.update("\x1f".join(map(_plain, row)).encode() + b"\x1e")
                    count += 1
                result[table.name] = (count, digest.hexdigest())
        return result
    finally:
        engine.dispose()


def reprise(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return commands.reprise(*args, database_url=url)


def test_backup_then_restore_into_a_fresh_database(
    new_database: Callable[[str], str], tmp_path: Path, backend: str
) -> None:
    source = new_database("source")
    populate(source, 60, "source")
    out = tmp_path / "saved" / "reprise.backup"

    made = reprise(source, "backup", "--out", str(out))
    assert made.returncode == 0, made.stderr
    total = sum(count for count, _digest in fingerprint(source).values())
    assert total >= 101  # 60 sessions, 40 drafts, the migration version, any seeded rows
    assert f"{total} rows" in made.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert list(out.parent.iterdir()) == [out]  # no temporary left behind

    target = new_database("target")
    restored = reprise(target, "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    assert "the database is at the current migration" in restored.stdout

    expected = fingerprint(source)
    assert set(expected) == {"alembic_version", *SQLModel.metadata.tables}
    assert expected["draft"][0] == 40
    assert fingerprint(target) == expected
    if backend == "sqlite":
        engine = make_engine(target)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        engine.dispose()


def test_restore_into_a_migrated_empty_database(
    new_database: Callable[[str], str], tmp_path: Path
) -> None:
    source = new_database("source")
    populate(source, 10, "source")
    backup_database(source, tmp_path / "b")
    target = new_database("target")
    upgrade("head", target)
    restore_database(target, tmp_path / "b")
    assert fingerprint(target) == fingerprint(source)


def test_restore_refuses_a_database_with_data_unless_forced(
    new_database: Callable[[str], str], tmp_path: Path
) -> None:
    source = new_database("source")
    populate(source, 12, "source")
    backup = tmp_path / "b"
    backup_database(source, backup)
    target = new_database("target")
    populate(target, 5, "target")
    before = fingerprint(target)

    refused = reprise(target, "restore", str(backup))
    assert refused.returncode == 1
    assert "not empty" in refused.stderr
    assert "--force" in refused.stderr
    assert fingerprint(target) == before

    forced = reprise(target, "restore", str(backup), "--force")
    assert forced.returncode == 0, forced.stderr
    assert fingerprint(target) == fingerprint(source)


def test_a_damaged_backup_changes_nothing(
    new_database: Callable[[str], str], tmp_path: Path
) -> None:
    source = new_database("source")
    populate(source, 40, "source")
    backup = tmp_path / "b"
    backup_database(source, backup)
    damaged = tmp_path / "damaged"
    data = backup.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    target = new_database("target")
    populate(target, 5, "target")
    before = fingerprint(target)
    with pytest.raises(BackupError):
        restore_database(target, damaged, force=True)
    assert fingerprint(target) == before


def test_files_that_are_not_backups_are_refused(
    new_database: Callable[[str], str], tmp_path: Path, backend: str
) -> None:
    target = new_database("target")
    populate(target, 3, "target")
    before = fingerprint(target)
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a backup\n", encoding="utf-8")
    other = tmp_path / "other.db"
    other_url = f"sqlite:///{other}"
    engine = make_engine(other_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    engine.dispose()
    for path, reason in [
        (text_file, "not a"),
        (tmp_path / "missing", "no backup file"),
        (other, "SQLite backup" if backend == "postgresql" else "not a Reprise database"),
    ]:
        with pytest.raises(BackupError, match=reason):
            restore_database(target, path, force=True)
    assert fingerprint(target) == before


def test_backup_is_one_snapshot_while_the_service_writes(
    new_database: Callable[[str], str], tmp_path: Path, backend: str
) -> None:
    source = new_database("source")
    populate(source, 5, "source")
    stop = threading.Event()
    written = 0

    def keep_writing() -> None:
        # Each transaction adds a session and its draft: a consistent copy has as many of each
        # beyond the initial rows.
        nonlocal written
        engine = make_engine(source)
        with Session(engine) as db:
            while not stop.is_set():
                web = WebSession(
                    token_hash=os.urandom(32).hex(), expires_at=utcnow() + timedelta(days=1)
                )
                db.add(web)
                db.flush()
                db.add(Draft(session_id=web.id, payload=os.urandom(2000), expires_at=utcnow()))
                db.commit()
                written += 1
        engine.dispose()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        backups = []
        for number in range(3):
            path = tmp_path / f"hot{number}"
            backup_database(source, path)
            backups.append(path)
    finally:
        stop.set()
        writer.join()
    assert written > 0
    for number, path in enumerate(backups):
        copy = f"sqlite:///{path}" if backend == "sqlite" else new_database(f"hot{number}")
        if backend == "postgresql":
            restore_database(copy, path)
        counts = fingerprint(copy)
        # populate() gave 5 sessions and 3 drafts; every later session came with its draft.
        assert counts["web_session"][0] - 5 == counts["draft"][0] - 3


@pytest.fixture
def postgres_database(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Makes empty PostgreSQL databases, dropped afterwards."""
    if not os.environ.get("REPRISE_TEST_DATABASE_URL"):
        pytest.skip("needs REPRISE_TEST_DATABASE_URL")
    made: list[str] = []

    def make(label: str) -> str:
        url = fresh_database_url("postgresql", tmp_path, label)
        made.append(url)
        return url

    yield make
    for url in made:
        drop_postgres_database(make_url(url).database or "")


@pytest.mark.postgres
def test_a_postgresql_restore_failing_midway_rolls_back(
    postgres_database: Callable[[str], str], tmp_path: Path
) -> None:
    new_database = postgres_database
    source = new_database("source")
    populate(source, 20, "source")
    engine = make_engine(source)
    with engine.begin() as connection:
        connection.execute(text("CREATE SCHEMA archive"))
        connection.execute(text("CREATE TABLE archive.note (id integer PRIMARY KEY)"))
    engine.dispose()
    backup = tmp_path / "b"
    backup_database(source, backup)

    target = new_database("target")
    populate(target, 7, "target")
    engine = make_engine(target)
    with engine.begin() as connection:
        # The restore drops and reloads public's tables, then fails on this schema.
        connection.execute(text("CREATE SCHEMA archive"))
    engine.dispose()
    before = fingerprint(target)
    with pytest.raises(BackupError, match="archive"):
        restore_database(target, backup, force=True)
    assert fingerprint(target) == before


def test_sqlite_restore_killed_midway_leaves_the_old_database(tmp_path: Path) -> None:
    """Kill a restore while it writes (its WAL half written): the old database is intact.

    The kill delay is searched between "not started yet" and "already done" until a kill lands
    while the restore is writing.
    """
    source = f"sqlite:///{tmp_path / 'source.db'}"
    populate(source, 600, "source", payload_bytes=50_000)  # about 20 MB to copy
    backup = tmp_path / "new.backup"
    backup_database(source, backup)
    new = fingerprint(source)
    target = f"sqlite:///{tmp_path / 'target.db'}"
    populate(target, 50, "target")
    old_backup = tmp_path / "old.backup"
    backup_database(target, old_backup)
    old = fingerprint(target)
    wal = Path((make_url(target).database or "") + "-wal")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from app.backup import restore_database\n"
        "print('go', flush=True)\n"
        "restore_database(sys.argv[1], Path(sys.argv[2]), force=True)\n"
    )
    early, late, delay = 0.0, None, 0.01
    torn = False
    for _round in range(14):
        with subprocess.Popen(
            [sys.executable, "-c", script, target, str(backup)],
            stdout=subprocess.PIPE,
            cwd=PROJECT_ROOT,
        ) as restorer:
            assert restorer.stdout is not None
            assert restorer.stdout.readline() == b"go\n"
            threading.Event().wait(delay)
            restorer.kill()
        half_written = wal.exists() and wal.stat().st_size > 0
        now = fingerprint(target)
        assert now in (old, new), "a killed restore left a mix of old and new"
        if now == new:
            restore_database(target, old_backup, force=True)
            late = delay
        elif half_written:
            torn = True
            break
        else:
            early = delay
        delay = (early + late) / 2 if late is not None else delay * 2
    assert torn, "no kill landed while the restore was writing"
