"""Database engine and the one-transaction-per-request session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

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
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


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


def session_opener() -> Opener:
    """How sessions are opened: for each request, and for work done after the answer (one
    dependency, so tests that share their session override it alone)."""
    return own_session


def get_session(opener: Annotated[Opener, Depends(session_opener)]) -> Iterator[Session]:
    """One session per request: commit when the route succeeds, roll back when it fails."""
    with opener() as session:
        yield session


# scope="function": the commit happens before the response is sent, so a failed commit
# becomes an error response instead of a success the database never kept.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
