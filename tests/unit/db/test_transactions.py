"""On PostgreSQL a transaction begins at the first statement that writes or locks: a request
that only reads sends no BEGIN and no COMMIT, and one that writes is still all or nothing."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from app.db import make_engine, opens_transaction

URL = os.environ.get("REPRISE_TEST_DATABASE_URL", "")
needs_postgres = pytest.mark.skipif(not URL, reason="needs REPRISE_TEST_DATABASE_URL")


@pytest.mark.parametrize(
    ("statement", "needs_one"),
    [
        ("SELECT web_session.id FROM web_session WHERE token_hash = %(h)s", False),
        ("  select 1", False),
        ("SELECT count(*) FROM proceeding", False),
        ("SELECT a.updated_at FROM account AS a", False),  # 'UPDATE' inside a word
        ("SELECT * FROM job WHERE state = 'queued' FOR UPDATE SKIP LOCKED", True),
        ("SELECT * FROM proceeding WHERE id = %(id)s FOR UPDATE", True),
        ("SELECT * FROM proceeding\nFOR NO KEY UPDATE", True),
        ("SELECT * FROM proceeding FOR SHARE", True),
        ("SELECT * FROM proceeding for key share", True),
        ("SELECT pg_advisory_xact_lock(hashtextextended(%(key)s, 0))", True),
        ("SELECT nextval('letter_number')", True),
        ("INSERT INTO throttle_hit (id) VALUES (%(id)s)", True),
        ("UPDATE web_session SET last_seen_at = %(at)s", True),
        ("DELETE FROM draft WHERE id = %(id)s", True),
        ("WITH gone AS (DELETE FROM draft RETURNING id) SELECT count(*) FROM gone", True),
        ("SAVEPOINT sa_savepoint_1", True),
        ("CREATE TABLE t (x int)", True),
    ],
)
def test_only_a_plain_read_runs_without_a_transaction(statement: str, needs_one: bool) -> None:
    assert opens_transaction(statement) is needs_one


@pytest.fixture
def pool_of_one() -> Iterator[Engine]:
    """An engine of one pooled connection: the next session gets the connection just used."""
    own = make_engine(URL, pool_size=1, max_overflow=0)
    yield own
    own.dispose()


@pytest.fixture
def table(pool_of_one: Engine) -> Iterator[str]:
    name = f"reprise_tx_{uuid.uuid4().hex[:10]}"
    with pool_of_one.begin() as connection:
        connection.execute(text(f"CREATE TABLE {name} (id int PRIMARY KEY, note text)"))
        connection.execute(text(f"INSERT INTO {name} VALUES (1, 'first')"))
    yield name
    with pool_of_one.begin() as connection:
        connection.execute(text(f"DROP TABLE {name}"))


@pytest.fixture
def other() -> Iterator[Any]:
    """A second connection, to see the first one from outside as the server does."""
    admin = make_engine(URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        yield connection
    admin.dispose()


def backend_state(other: Any, pid: int) -> tuple[str, bool]:
    """What the server says of a connection: its state, and whether a transaction is open."""
    row = other.execute(
        text("SELECT state, xact_start IS NOT NULL FROM pg_stat_activity WHERE pid = :pid"),
        {"pid": pid},
    ).one()
    return str(row[0]), bool(row[1])


def pid_of(session: Any) -> int:
    """The server process of a session's (or a connection's) connection; a plain read."""
    return int(session.execute(text("SELECT pg_backend_pid()")).scalar_one())


@needs_postgres
def test_a_session_that_only_reads_leaves_no_transaction_open(
    pool_of_one: Engine, table: str, other: Any
) -> None:
    with Session(pool_of_one) as session:
        assert session.execute(text(f"SELECT note FROM {table}")).scalar_one() == "first"
        session.execute(text(f"SELECT count(*) FROM {table}"))
        assert backend_state(other, pid_of(session)) == ("idle", False)
        session.commit()


@needs_postgres
def test_from_the_first_write_to_the_commit_is_one_transaction(
    pool_of_one: Engine, table: str, other: Any
) -> None:
    with Session(pool_of_one) as session:
        session.execute(text(f"SELECT note FROM {table}"))
        session.execute(text(f"INSERT INTO {table} VALUES (2, 'second')"))
        assert backend_state(other, pid_of(session)) == ("idle in transaction", True)
        # Not visible outside before the commit.
        assert other.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 1
        session.commit()
    assert other.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 2


@needs_postgres
def test_a_failure_after_a_write_leaves_the_data_as_it_was(pool_of_one: Engine, table: str) -> None:
    with Session(pool_of_one) as session:
        session.execute(text(f"UPDATE {table} SET note = 'changed' WHERE id = 1"))
        session.execute(text(f"INSERT INTO {table} VALUES (3, 'third')"))
        with pytest.raises(IntegrityError):
            session.execute(text(f"INSERT INTO {table} VALUES (1, 'duplicate')"))
        session.rollback()
    with pool_of_one.connect() as connection:
        rows = connection.execute(text(f"SELECT id, note FROM {table} ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [(1, "first")]


@needs_postgres
def test_a_row_locked_for_update_stays_locked_until_the_commit(
    pool_of_one: Engine, table: str, other: Any
) -> None:
    other.execute(text("SET lock_timeout = '200ms'"))
    with Session(pool_of_one) as session:
        session.execute(text(f"SELECT note FROM {table} WHERE id = 1 FOR UPDATE"))
        with pytest.raises(OperationalError, match="lock timeout"):
            other.execute(text(f"UPDATE {table} SET note = 'elsewhere' WHERE id = 1"))
        session.commit()
    other.execute(text(f"UPDATE {table} SET note = 'elsewhere' WHERE id = 1"))


@needs_postgres
def test_an_advisory_lock_stays_taken_until_the_commit(pool_of_one: Engine, other: Any) -> None:
    key = uuid.uuid4().int % 2**62
    take = text("SELECT pg_try_advisory_xact_lock(:key)")
    with Session(pool_of_one) as session:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        assert other.execute(take, {"key": key}).scalar_one() is False
        session.commit()
    assert other.execute(take, {"key": key}).scalar_one() is True


@needs_postgres
def test_a_connection_lent_in_autocommit_comes_back_as_the_others(
    pool_of_one: Engine, table: str, other: Any
) -> None:
    """The job runner asks for AUTOCOMMIT on one connection; the pool (of one here) gives the
    same connection to the next request, which must still get its transaction at its first
    write, and none before."""
    with pool_of_one.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"UPDATE {table} SET note = 'autocommitted' WHERE id = 1"))
        pid = pid_of(connection)
        assert backend_state(other, pid) == ("idle", False)
    with Session(pool_of_one) as session:
        assert pid_of(session) == pid
        session.execute(text(f"SELECT note FROM {table}"))
        assert backend_state(other, pid) == ("idle", False)
        session.execute(text(f"UPDATE {table} SET note = 'in a transaction' WHERE id = 1"))
        assert backend_state(other, pid) == ("idle in transaction", True)
        session.rollback()
    assert other.execute(text(f"SELECT note FROM {table}")).scalar_one() == "autocommitted"
