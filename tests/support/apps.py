"""The application on a test's own database: each request opens its session on `engine`,
commits when the request succeeds and rolls back when it fails, as `app.db` does for the
process's database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session


def app_on(engine: Engine, application: Any = None) -> Any:
    """`application` (a new one by default) with its sessions opened on `engine`."""
    from app.db import session_opener
    from app.main import create_app

    application = application if application is not None else create_app()

    def session() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as db:
            try:
                yield db
                db.commit()
            except BaseException:
                db.rollback()
                raise

    application.dependency_overrides[session_opener] = lambda: contextmanager(session)
    return application
