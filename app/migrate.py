"""Running Alembic migrations from code (the CLI and the tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from app.config import MIGRATIONS_DIR, PROJECT_ROOT, get_settings
from app.db import normalise_url


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option(
        "sqlalchemy.url", normalise_url(url or get_settings().database_url).replace("%", "%%")
    )
    return config


def upgrade(revision: str = "head", url: str | None = None) -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(revision: str = "base", url: str | None = None) -> None:
    command.downgrade(alembic_config(url), revision)


def restored_revision_advice(revision: str | None) -> str:
    """What to do after restoring a backup made at migration `revision`."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    scripts = ScriptDirectory.from_config(alembic_config())
    if revision is None:
        return "warning: the backup holds no migration version"
    if revision in scripts.get_heads():
        return "the database is at the current migration"
    try:
        scripts.get_revision(revision)
    except CommandError:
        return "warning: this backup comes from a newer Reprise; update Reprise before serving"
    return "the backup is from an older Reprise: run `reprise db upgrade` before serving"
