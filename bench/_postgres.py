"""A scratch PostgreSQL database for the benchmarks (not a benchmark: run.py skips it)."""

from __future__ import annotations

import sys
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
