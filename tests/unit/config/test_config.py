"""Settings: one class, every variable documented, safe defaults, production refusals."""

import os
import re
import stat
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT, ConfigurationError, Settings, resolve_secrets


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    text = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*(REPRISE_[A-Z_]+)=", text, re.MULTILINE))
    expected = {f"REPRISE_{name.upper()}" for name in Settings.model_fields}
    assert documented == expected


def test_contract_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("REPRISE_"):
            monkeypatch.delenv(name)
    settings = Settings()
    assert settings.env == "development"
    assert settings.database_url == "sqlite:///var/reprise.db"
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.smtp_url == ""
    assert settings.company_search_url == "https://recherche-entreprises.api.gouv.fr"


def test_development_creates_private_secrets_once(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, secret_key="", data_keys="")
    first = resolve_secrets(settings)
    second = resolve_secrets(settings)
    assert len(first.secret_key.get_secret_value()) >= 32
    assert first.secret_key == second.secret_key
    assert first.data_keys == second.data_keys
    for name in ("secret_key", "data_keys"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode == 0o600


@pytest.mark.parametrize(
    ("secret", "keys"),
    [("", "k1:" + "A" * 43 + "="), ("change-me", "k1:x"), ("x" * 40, ""), ("x" * 10, "k:x")],
)
def test_production_refuses_default_or_missing_secrets(secret: str, keys: str) -> None:
    settings = Settings(env="production", secret_key=secret, data_keys=keys)
    with pytest.raises(ConfigurationError):
        resolve_secrets(settings)


def test_production_hides_api_docs_unless_enabled() -> None:
    assert not Settings(env="production").show_api_docs
    assert Settings(env="production", api_docs=True).show_api_docs
    assert Settings().show_api_docs
