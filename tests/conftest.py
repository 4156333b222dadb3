"""Shared fixtures: settings for tests, real databases (SQLite and PostgreSQL), checked pages."""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import Session

from tests.support.pagecheck import CheckedClient

if TYPE_CHECKING:
    from tests.support.world import World

# Fixtures shared by several test modules, defined beside their helpers.
pytest_plugins = ["tests.support.render"]

TEST_DATA_KEY = "ktest:" + base64.urlsafe_b64encode(b"reprise-test-key-0123456789abcde").decode()
TEST_SECRET = "test-secret-key-that-is-long-enough-to-pass-0123456789"


def _test_clock_start() -> dt.datetime:
    """Where the suite's clock starts: REPRISE_TEST_CLOCK (HH:MM Paris time today, or an ISO
    moment) when set, so the suite can be run at the hours that matter (23:59, 00:01, 07:59);
    otherwise 10:00 in Paris today, so no test depends on the hour it runs."""
    from app.clock import PARIS

    wanted = os.environ.get("REPRISE_TEST_CLOCK", "10:00")
    if re.fullmatch(r"\d{2}:\d{2}", wanted):
        hour, minute = (int(part) for part in wanted.split(":"))
        day = dt.datetime.now(PARIS).date()
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)
    moment = dt.datetime.fromisoformat(wanted)
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


_CLOCK_START = _test_clock_start()


@pytest.fixture(autouse=True)
def test_clock() -> Iterator[None]:
    """Each test starts at the same moment of app.clock (and may set it further itself), so no
    test sees midnight pass or depends on the hour the suite runs."""
    from app import clock

    clock.set_now(_CLOCK_START)
    yield
    clock.reset()


@pytest.fixture(scope="session", autouse=True)
def test_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The environment every test runs in; caches cleared so nothing leaks between runs."""
    var_dir = tmp_path_factory.mktemp("var")
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith("REPRISE_") and name != "REPRISE_TEST_DATABASE_URL":
            del os.environ[name]
    os.environ.update(
        REPRISE_ENV="development",
        REPRISE_VAR_DIR=str(var_dir),
        REPRISE_SECRET_KEY=TEST_SECRET,
        REPRISE_DATA_KEYS=TEST_DATA_KEY,
        REPRISE_DATABASE_URL=f"sqlite:///{var_dir / 'unused.db'}",
        REPRISE_COMPANY_SEARCH_URL="",
        REPRISE_JOBS_INTERVAL_SECONDS="0",
    )
    clear_caches()
    # As the app factory and the command line do: every privacy hook, job kind and file hook,
    # also for tests that call the services without an app.
    from app.registry import register_all

    register_all()
    yield
    os.environ.clear()
    os.environ.update(saved)
    clear_caches()


def clear_caches() -> None:
    """Forget everything computed from the settings."""
    from app.accounts import sessions
    from app.config import get_settings
    from app.db import get_engine
    from app.security.crypto import get_keyring

    get_settings.cache_clear()
    get_engine.cache_clear()
    get_keyring.cache_clear()
    sessions._csrf_key.cache_clear()
    from app.security.fields import clear_key_caches

    clear_key_caches()
    from app.observatory.facts import clear_key_cache

    clear_key_cache()


# ---------------------------------------------------------------- databases


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("REPRISE_TEST_DATABASE_URL") else ["sqlite"]


_RUN = uuid.uuid4().hex[:8]


def _worker() -> str:
    """This test process, unique across concurrent runs sharing one PostgreSQL server."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", _RUN)[:8]
    return f"{run}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def _sqlite_savepoints(engine: Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself.
    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def create_postgres_database(name: str) -> str:
    """A fresh database `name` on the test server; returns its URL."""
    from app.db import make_engine

    base = make_url(os.environ["REPRISE_TEST_DATABASE_URL"])
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(name: str) -> None:
    from app.db import make_engine

    base = make_url(os.environ["REPRISE_TEST_DATABASE_URL"])
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def fresh_database_url(backend: str, tmp_path: Path, label: str) -> str:
    """An empty database of `backend` for one test or one worker."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'{label}.db'}"
    return create_postgres_database(f"reprise_{label}_{_worker()}_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="session", params=_backends())
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def migrated_engine(
    backend: str, tmp_path_factory: pytest.TempPathFactory, test_settings: None
) -> Iterator[Engine]:
    """One database per backend and test worker, migrated once."""
    from app.db import make_engine
    from app.migrate import upgrade

    name = f"reprise_test_{_worker()}"
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / (name + '.db')}"
    else:
        url = create_postgres_database(name)
    upgrade("head", url)
    engine = make_engine(url)
    if backend == "sqlite":
        _sqlite_savepoints(engine)
    yield engine
    engine.dispose()
    if backend == "postgresql":
        drop_postgres_database(name)


@pytest.fixture
def db(migrated_engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test (savepoint per test)."""
    connection = migrated_engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database of this test's own, for work that commits (the command line, the
    job runners) or changes every row (key rotation)."""
    from app.db import make_engine
    from app.migrate import upgrade

    url = fresh_database_url(backend, tmp_path, "own")
    upgrade("head", url)
    own = make_engine(url)
    yield own
    own.dispose()
    if backend == "postgresql":
        drop_postgres_database(own.url.database or "")


def copy_database(engine: Engine, tmp_path: Path, label: str) -> str:
    """A copy of `engine`'s database, for a test that must not change the one it shares;
    returns its URL. `engine`'s connections are closed first (PostgreSQL copies a template
    only when nobody is connected to it)."""
    engine.dispose()
    if engine.dialect.name == "sqlite":
        import sqlite3

        target = tmp_path / f"{label}.db"
        with sqlite3.connect(engine.url.database or "") as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return f"sqlite:///{target}"
    from app.db import make_engine

    name = f"reprise_{label}_{_worker()}_{uuid.uuid4().hex[:8]}"
    base = make_url(os.environ["REPRISE_TEST_DATABASE_URL"])
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{engine.url.database}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def app(db: Session) -> Any:
    from app.db import session_opener
    from app.main import create_app

    application = create_app()

    @contextmanager
    def _test_session() -> Iterator[Session]:
        # Each request, and the work done after its answer, share the test's session.
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise

    application.dependency_overrides[session_opener] = lambda: _test_session
    return application


@pytest.fixture
def client(app: Any) -> Iterator[CheckedClient]:
    """A test client whose every HTML page is checked (see tests/support/pagecheck.py)."""
    with CheckedClient(app) as test_client:
        yield test_client


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
def identity_data() -> dict[str, Any]:
    """The identity of contract.md's example."""
    return {
        "given_name": "Marie",
        "family_name": "Dupont",
        "birth_date": "1980-05-17",
        "email": "marie.dupont@example.org",
        "phone": "+33 6 12 34 56 78",
        "postal_address": {
            "lines": ["12 rue des Lilas"],
            "postal_code": "75011",
            "city": "Paris",
            "country": "FR",
        },
        "identifiers": {"Adresse du compte": "marie.dupont@example.org"},
    }


@pytest.fixture
def identity_file(tmp_path: Path, identity_data: dict[str, Any]) -> Path:
    """contract.md's example identity as the command line reads it (a JSON file)."""
    import json

    path = tmp_path / "identity.json"
    path.write_text(json.dumps(identity_data), encoding="utf-8")
    return path


@pytest.fixture
def world(db: Session) -> World:
    """The access tests' world (tests/support/world.py), committed: a refused request rolls back."""
    from tests.support.world import build_world

    built = build_world(db)
    db.commit()
    return built


# ---------------------------------------------------------------- accounts


class CapturedMail:
    """Every message Reprise sends during a test, instead of SMTP."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    def send(self, message: Any) -> None:
        self.messages.append(message)

    def last_body(self) -> str:
        assert self.messages, "no email was sent"
        return str(self.messages[-1].get_content())

    def link(self, prefix: str) -> str:
        """The path of the last link sent that starts with `prefix` (e.g. /inscription/)."""
        for message in reversed(self.messages):
            for line in str(message.get_content()).splitlines():
                if prefix in line:
                    return line[line.index(prefix) :].strip()
        raise AssertionError(f"no link to {prefix} in the emails sent")


@pytest.fixture
def mail() -> Iterator[CapturedMail]:
    from app.notifications.mailer import use_mailer

    captured = CapturedMail()
    use_mailer(captured)
    yield captured
    use_mailer(None)
