"""Databases: migrations up and down on both backends, models match migrations, SQLite pragmas."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

import app.models  # noqa: F401
from app.db import make_engine
from app.migrate import downgrade, upgrade
from app.models.base import SQLModel
from tests.conftest import drop_postgres_database, fresh_database_url


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(backend: str, tmp_path: Path) -> None:
    url = fresh_database_url(backend, tmp_path, "updown")
    try:
        upgrade("head", url)
        assert _tables(url) == set(SQLModel.metadata.tables)
        downgrade("base", url)
        assert _tables(url) == set()
        upgrade("head", url)
        assert _tables(url) == set(SQLModel.metadata.tables)
    finally:
        if backend == "postgresql":
            drop_postgres_database(make_engine(url).url.database or "")


def test_models_and_migrations_agree(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_sqlite_is_durable(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'durable.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
