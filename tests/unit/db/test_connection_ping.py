"""PostgreSQL connections are checked before use only after sitting idle in the pool: a dead
one is replaced, a connection used moments ago costs no extra round trip."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy import text

import app.db
from app.db import make_engine

URL = os.environ.get("REPRISE_TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="needs REPRISE_TEST_DATABASE_URL")


def backend(engine: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_killed_while_idle_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(URL, pool_size=1, max_overflow=0)
    admin = make_engine(URL, isolation_level="AUTOCOMMIT")
    try:
        first = backend(engine)
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        monkeypatch.setattr(app.db, "PING_AFTER_IDLE_SECONDS", 0.0)
        second = backend(engine)  # no error: the ping found it dead, the pool made another
        assert second != first
    finally:
        engine.dispose()
        admin.dispose()


def test_a_connection_used_moments_ago_is_not_pinged(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(URL, pool_size=1, max_overflow=0)
    pings: list[object] = []
    real_ping = engine.dialect.do_ping

    def counting_ping(connection: Any) -> bool:
        pings.append(connection)
        return bool(real_ping(connection))

    monkeypatch.setattr(engine.dialect, "do_ping", counting_ping)
    try:
        for _request in range(5):
            backend(engine)
        assert pings == []
        monkeypatch.setattr(app.db, "PING_AFTER_IDLE_SECONDS", 0.0)
        backend(engine)
        assert len(pings) == 1
    finally:
        engine.dispose()
