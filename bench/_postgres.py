"""A scratch PostgreSQL database for the benchmarks (not a benchmark: run.py skips it)."""

from __future__ import annotations

import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.db import make_engine


def postgres_database(admin: str, name: str, create: bool) -> str:
    """Drop database `name` on the server of `admin` (a URL), create it again when `create`,
    and return its URL."""
    engine = make_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def on_each_database(
    run: Callable[[str, str], None], label: str, postgres: str, sqlite: bool = True
) -> None:
    """`run(url, name)` on a scratch SQLite file (unless `sqlite` is False), then on a scratch
    PostgreSQL database of the server `postgres` names (skipped, and said, when empty)."""
    if sqlite:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{Path(folder) / (label + '.db')}", "SQLite")
    if not postgres:
        print("PostgreSQL: skipped (no --postgres URL and no REPRISE_TEST_DATABASE_URL)")
        return
    name = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    url = postgres_database(postgres, name, True)
    try:
        run(url, "PostgreSQL")
    finally:
        postgres_database(postgres, name, False)
