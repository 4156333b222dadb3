"""The `reprise` command as the tests run it: a real process, on the test's clock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import Engine

from app import clock
from tests.support.paths import PROJECT_ROOT


def reprise(
    *args: str, database_url: str | None = None, cwd: Path = PROJECT_ROOT
) -> subprocess.CompletedProcess[str]:
    """Run `reprise ARGS` to its end; `database_url` replaces REPRISE_DATABASE_URL."""
    env = dict(os.environ, TEST_CLOCK_NOW=clock.now().isoformat())
    if database_url is not None:
        env["REPRISE_DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "tests.support.clocked_cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=cwd,
    )


def reprise_on(engine: Engine, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `reprise ARGS` on the database of `engine`."""
    return reprise(*args, database_url=engine.url.render_as_string(hide_password=False))


def reprise_on_file(*args: str, database: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `reprise ARGS` on an SQLite file (else on the test settings' database)."""
    return reprise(*args, database_url=None if database is None else f"sqlite:///{database}")
