"""Production settings (security.md 19): no API description, generic error pages, HSTS,
refusal to start with default secrets."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlmodel import Session

from app.config import ConfigurationError
from tests.conftest import clear_caches
from tests.support.pagecheck import CheckedClient

GOOD_KEY = "kprod:" + base64.urlsafe_b64encode(os.urandom(32)).decode()
GOOD_SECRET = "Zq8-vR2mXk_4Lw9TnB7yHc3JdPf6GsA1uE5oWi0Ne"


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("REPRISE_ENV", "production")
    monkeypatch.setenv("REPRISE_SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("REPRISE_DATA_KEYS", GOOD_KEY)
    monkeypatch.setenv("REPRISE_BASE_URL", "https://reprise.example")
    monkeypatch.setenv("REPRISE_SMTP_URL", "smtp://127.0.0.1:2525")
    clear_caches()
    yield
    monkeypatch.undo()
    clear_caches()


@pytest.fixture
def production_app(production: None, db: Session) -> Any:
    from app.authorisation import ROUTE_POLICIES, Policy
    from app.db import session_opener
    from app.main import create_app

    application = create_app()

    def session() -> Iterator[Session]:
        yield db

    application.dependency_overrides[session_opener] = lambda: contextmanager(session)

    @application.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail 42 at /srv/reprise/app.py")

    ROUTE_POLICIES["GET /boom"] = Policy.PUBLIC
    yield application
    del ROUTE_POLICIES["GET /boom"]


def test_no_api_description_in_production(production_app: Any) -> None:
    with CheckedClient(production_app, base_url="https://reprise.example") as client:
        assert client.get("/api/v1/openapi.json").status_code == 404
        assert client.get("/api/v1/docs").status_code == 404
        assert client.get("/api/v1/platforms").status_code == 200


def test_a_forced_error_shows_no_traceback(production_app: Any) -> None:
    with CheckedClient(production_app, base_url="https://reprise.example") as client:
        response = client.get("/boom")
        api = client.get("/api/v1/nothing-here")
    assert response.status_code == 500
    for leak in ("secret detail", "Traceback", "RuntimeError", "/srv/reprise", "app.py"):
        assert leak not in response.text
    assert "Une erreur est survenue" in response.text
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert api.status_code == 404
    assert "Traceback" not in api.text


def test_production_cookies_are_secure_and_host_prefixed(production_app: Any) -> None:
    with CheckedClient(production_app, base_url="https://reprise.example") as client:
        cookie = client.get("/connexion").headers["set-cookie"]
    assert cookie.startswith("__Host-reprise_session=")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie


@pytest.mark.parametrize(
    ("secret", "keys"),
    [
        ("change-me", GOOD_KEY),
        ("", GOOD_KEY),
        (GOOD_SECRET, ""),
        ("short", GOOD_KEY),
        ("p" * 48, GOOD_KEY),
        (GOOD_SECRET, "kzero:" + base64.urlsafe_b64encode(bytes(32)).decode()),
    ],
    ids=[
        "placeholder-secret",
        "empty-secret",
        "no-data-keys",
        "short-secret",
        "one-repeated-character",
        "all-zero-data-key",
    ],
)
def test_refuses_to_start_with_default_secrets(
    monkeypatch: pytest.MonkeyPatch, secret: str, keys: str
) -> None:
    from app.config import get_settings
    from app.main import create_app

    monkeypatch.setenv("REPRISE_ENV", "production")
    monkeypatch.setenv("REPRISE_SECRET_KEY", secret)
    monkeypatch.setenv("REPRISE_DATA_KEYS", keys)
    monkeypatch.setenv("REPRISE_BASE_URL", "https://reprise.example")
    monkeypatch.setenv("REPRISE_SMTP_URL", "smtp://127.0.0.1:2525")
    clear_caches()
    try:
        with pytest.raises(ConfigurationError):
            create_app()
        with pytest.raises(ConfigurationError):
            get_settings()
    finally:
        monkeypatch.undo()
        clear_caches()


SAFE = {
    "secret_key": GOOD_SECRET,
    "data_keys": GOOD_KEY,
    "base_url": "https://reprise.example",
    "smtp_url": "smtp://127.0.0.1:2525",
}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"secret_key": "a" * 32}, "REPRISE_SECRET_KEY"),
        (
            {"data_keys": "kzero:" + base64.urlsafe_b64encode(bytes(32)).decode()},
            "REPRISE_DATA_KEYS",
        ),
        ({"base_url": "http://reprise.example"}, "REPRISE_BASE_URL"),
        ({"smtp_url": ""}, "REPRISE_SMTP_URL"),
        ({"smtp_url": "   "}, "REPRISE_SMTP_URL"),
    ],
    ids=["32-identical-characters", "all-zero-data-key", "http-base-url", "no-smtp", "blank-smtp"],
)
def test_production_refuses_an_unsafe_setting_and_names_it(
    change: dict[str, str], named: str
) -> None:
    """Issue 10 item 11: each of these started before (and then failed quietly)."""
    from app.config import Settings, resolve_secrets

    assert resolve_secrets(Settings(env="production", **SAFE))  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=named):
        resolve_secrets(Settings(env="production", **{**SAFE, **change}))  # type: ignore[arg-type]
