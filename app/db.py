"""Database engine and the one-transaction-per-request session (on PostgreSQL, from the
request's first write)."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, create_engine

from app.admission import take_slot
from app.config import get_settings


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL with synchronous=FULL: an acknowledged commit survives a crash or power loss.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`, SQLite files created under their folder, tuned per backend."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, **kwargs)
    if kwargs.get("isolation_level") != "AUTOCOMMIT":
        _transactions_from_first_write(engine)
    _ping_after_idle(engine)
    return engine


# A statement that reads, and takes no lock: it needs no transaction around it.
_PLAIN_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_LOCKS_OR_WRITES = re.compile(
    r"\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b|\bFOR\s+(?:KEY\s+)?SHARE\b|\bpg_advisory|\bnextval|\bsetval",
    re.IGNORECASE,
)


@lru_cache(maxsize=2048)  # SQLAlchemy sends the same few hundred statements again and again
def opens_transaction(statement: str) -> bool:
    """Whether `statement` must run in a transaction: anything but a plain SELECT (a write, a
    lock, DDL, a CTE, a SAVEPOINT), and a SELECT that locks rows or takes an advisory lock."""
    return not _PLAIN_READ.match(statement) or bool(_LOCKS_OR_WRITES.search(statement))


def _transactions_from_first_write(engine: Engine) -> None:
    """On PostgreSQL, a transaction begins at the first statement that writes or locks, not at
    the first statement: a request that only reads (a signed-in page) sends no BEGIN and no
    COMMIT, two round trips of its four. From the first write on, everything up to the commit is
    one transaction, as before: a failure mid-way leaves nothing behind. Reads that came before
    see what a transaction at PostgreSQL's default level would have shown them (READ COMMITTED:
    each statement sees what was committed when it began). A connection asked for with
    `isolation_level="AUTOCOMMIT"` (CREATE DATABASE, the job runner's heartbeat), or an engine
    made with it, is left alone."""
    from psycopg.pq import TransactionStatus

    idle = TransactionStatus.IDLE  # no transaction open on the connection

    def between_transactions(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        # A pooled connection comes back without a transaction; SQLAlchemy turns autocommit off
        # after a connection was lent with an isolation level of its own.
        if not dbapi_connection.autocommit and dbapi_connection.pgconn.transaction_status == idle:
            dbapi_connection.autocommit = True

    def begin_before_writing(connection: Any, cursor: Any, statement: str, *_args: Any) -> None:
        dbapi_connection = cursor.connection
        if (
            dbapi_connection.autocommit
            and dbapi_connection.pgconn.transaction_status == idle
            and opens_transaction(statement)
            and connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT"
        ):
            cursor.execute("BEGIN", prepare=False)

    event.listen(engine, "checkout", between_transactions)
    event.listen(engine, "before_cursor_execute", begin_before_writing)


# A pooled PostgreSQL connection idle this long is checked (SELECT 1) before it is used again;
# one used more recently is not: pinging every checkout cost each request a round trip.
PING_AFTER_IDLE_SECONDS = 10.0


def _ping_after_idle(engine: Engine) -> None:
    """Pessimistic disconnect handling for connections that sat in the pool: a dead one is
    discarded and the pool takes another (the server restarted, a proxy closed it). A failure
    on a connection used moments ago is handled as SQLAlchemy handles any disconnect."""

    def stamp(_dbapi_connection: Any, record: Any, *_args: Any) -> None:
        record.info["reprise_idle_since"] = time.monotonic()

    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("reprise_idle_since", 0.0)
        if time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("the pooled connection is gone") from exc

    event.listen(engine, "connect", stamp)
    event.listen(engine, "checkin", stamp)
    event.listen(engine, "checkout", check)


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    """The engine of this process."""
    return make_engine(get_settings().database_url)


@contextmanager
def own_session() -> Iterator[Session]:
    """A session of its own: commit when the work succeeds, roll back when it fails."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


Opener = Callable[[], AbstractContextManager[Session]]


async def session_opener() -> Opener:
    """How sessions are opened: for each request, and for work done after the answer (one
    dependency, so tests that share their session override it alone)."""
    return own_session


async def get_session(
    request: Request, opener: Annotated[Opener, Depends(session_opener)]
) -> AsyncIterator[Session]:
    """One session per request: commit when the route succeeds, roll back when it fails.

    Opening a session touches no database, so it happens on the event loop. A plain-function
    route of an `app.routing.Router` ends the session in its own worker thread, as soon as it
    returns (`END_IN_ROUTE_THREAD`); otherwise ending it goes to a worker thread only when the
    request used the database (a commit or a rollback to send). A page that never reads the
    database costs no thread hand-off for its session.

    The session opens once the request has its turn (app.admission), given back when it ends.
    A visitor reading a page with no cookie and no token needs no turn: such a request reads
    nothing personal, and the public pages that read the database do it in one short query."""
    slot = await take_slot() if _takes_turn(request) else None
    try:
        manager = opener()
        session = manager.__enter__()
    except BaseException:
        if slot is not None:
            slot.give_back()
        raise
    ended = False

    def end() -> None:
        nonlocal ended
        if not ended:
            ended = True
            manager.__exit__(None, None, None)

    session.info[END_IN_ROUTE_THREAD] = end
    try:
        yield session
    except BaseException:
        if ended or not await run_in_threadpool(manager.__exit__, *sys.exc_info()):
            raise
    else:
        if ended:
            return
        if _used(session):
            await run_in_threadpool(manager.__exit__, None, None, None)
        else:
            manager.__exit__(None, None, None)
    finally:
        session.info.pop(END_IN_ROUTE_THREAD, None)
        if slot is not None:
            slot.give_back()


# In a request's session's `info`: ends the request's session (commit, or roll back when the
# commit fails), called by the route's thread once the route has returned.
END_IN_ROUTE_THREAD = "reprise_end_in_route_thread"


READING = frozenset({"GET", "HEAD", "OPTIONS"})


def _takes_turn(request: Request) -> bool:
    """Whether the request waits for its turn: it changes something, or carries a cookie or a
    token (a signed-in person's pages, the API with a personal token)."""
    headers = request.headers
    return request.method not in READING or "cookie" in headers or "authorization" in headers


def _used(session: Session) -> bool:
    """Whether ending `session` may talk to the database."""
    return bool(session.in_transaction() or session.new or session.dirty or session.deleted)


# scope="function": the commit happens before the response is sent, so a failed commit
# becomes an error response instead of a success the database never kept.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
