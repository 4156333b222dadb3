"""Settings: every REPRISE_ variable, read in one place."""

from __future__ import annotations

import base64
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"

# Values shipped in .env.example; production refuses to start with them.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret"})


class ConfigurationError(RuntimeError):
    """The settings cannot run the service as asked."""


class Settings(BaseSettings):
    """Every setting of the service; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_prefix="REPRISE_", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///var/reprise.db"
    secret_key: SecretStr = SecretStr("")
    data_keys: SecretStr = SecretStr("")
    smtp_url: str = ""
    base_url: str = DEFAULT_BASE_URL
    company_search_url: str = "https://recherche-entreprises.api.gouv.fr"

    var_dir: Path = Path("var")
    api_docs: bool = False
    draft_ttl_hours: int = Field(default=24, ge=1, le=24 * 30)
    render_timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    render_workers: int = Field(default=0, ge=0, le=16)  # 0: one per core, at most 4
    # Requests of a web process that may use the database at once (app.admission); 0: two per
    # core, divided among the web processes by `reprise serve`.
    request_slots: int = Field(default=0, ge=0, le=256)
    # How long a single letter may wait for a free render worker before a 503.
    render_wait_seconds: float = Field(default=5.0, gt=0, le=300)
    # Set by `reprise serve` for its web workers: the machine's render server.
    render_socket: str = ""
    # Letters rendered per hour by one address without an account, and by one account.
    render_letters_per_address: int = Field(default=300, ge=1, le=100000)
    render_letters_per_account: int = Field(default=1000, ge=1, le=100000)
    mail_from: str = "Reprise <ne-pas-repondre@reprise.invalid>"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Retention: how long what Reprise holds is kept (shown on /confidentialite).
    inactive_account_days: int = Field(default=730, ge=30, le=3650)
    purge_warning_days: int = Field(default=30, ge=1, le=365)
    unverified_account_days: int = Field(default=7, ge=1, le=90)
    closed_proceeding_days: int = Field(default=365, ge=1, le=3650)
    jobs_interval_seconds: int = Field(default=300, ge=0, le=86400)
    # Sign-in throttling: failures allowed per account and per address within the window.
    login_failures_per_account: int = Field(default=5, ge=1, le=100)
    login_failures_per_address: int = Field(default=30, ge=1, le=10000)
    login_window_minutes: int = Field(default=15, ge=1, le=1440)
    # Who runs this service and where it is hosted, for the privacy page.
    operator: str = ""
    hosting: str = ""

    @field_validator("base_url")
    @classmethod
    def _strip_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/") or DEFAULT_BASE_URL

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def secure_cookies(self) -> bool:
        return self.production or self.base_url.startswith("https://")

    @property
    def show_api_docs(self) -> bool:
        return self.api_docs or not self.production


def _read_or_create(path: Path, make: str) -> str:
    """Return the secret kept in `path`, creating it (mode 0600) on first use."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(make + "\n")
    return make


def new_data_key() -> str:
    """A fresh keyring entry: `id:base64(32 random bytes)`."""
    return f"k{secrets.token_hex(4)}:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"


MIN_DISTINCT_SECRET_CHARACTERS = 16
MIN_DISTINCT_KEY_BYTES = 16


def _weak_data_key(keys: str) -> bool:
    """True when an entry of the keyring is not 32 random-looking bytes (all zeros, one byte
    repeated, ...). The keyring's own parser reports any other fault with its own message."""
    for entry in keys.replace("\n", ",").split(","):
        _key_id, _sep, encoded = entry.strip().partition(":")
        try:
            raw = base64.urlsafe_b64decode(encoded.encode())
        except ValueError:
            continue
        if len(raw) == 32 and len(set(raw)) < MIN_DISTINCT_KEY_BYTES:
            return True
    return False


def refuse_unsafe_production(settings: Settings, secret: str, keys: str) -> None:
    """Production refuses to start on a setting that would leave it unsafe or broken; each
    message says what to set."""
    if secret.strip().lower() in PLACEHOLDER_SECRETS or len(secret) < 32:
        raise ConfigurationError(
            "REPRISE_SECRET_KEY must be set to a random value of at least 32 characters "
            "in production."
        )
    if len(set(secret)) < MIN_DISTINCT_SECRET_CHARACTERS:
        raise ConfigurationError(
            "REPRISE_SECRET_KEY repeats too few characters to be random: set it to the output "
            "of `python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )
    if keys.strip().lower() in PLACEHOLDER_SECRETS:
        raise ConfigurationError("REPRISE_DATA_KEYS must be set in production.")
    if _weak_data_key(keys):
        raise ConfigurationError(
            "REPRISE_DATA_KEYS holds a key that is not random (all zeros or repeated bytes): "
            'make one as .env.example shows (python3 -c "import base64,secrets; '
            "print('k1:' + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())\")."
        )
    if not settings.base_url.startswith("https://"):
        raise ConfigurationError(
            "REPRISE_BASE_URL must start with https:// in production (its cookies and HSTS "
            "only work over HTTPS): set it to the public address, e.g. https://reprise.example."
        )
    if not settings.smtp_url.strip():
        raise ConfigurationError(
            "REPRISE_SMTP_URL must be set in production (sign-up, reset and invitation links "
            "are sent by email), e.g. smtp://user:password@mail.example:587."
        )


def resolve_secrets(settings: Settings) -> Settings:
    """Fill missing secrets from `var/` in development; refuse them in production."""
    secret = settings.secret_key.get_secret_value()
    keys = settings.data_keys.get_secret_value()
    if settings.production:
        refuse_unsafe_production(settings, secret, keys)
        return settings
    updates: dict[str, SecretStr] = {}
    if not secret:
        updates["secret_key"] = SecretStr(
            _read_or_create(settings.var_dir / "secret_key", secrets.token_urlsafe(48))
        )
    if not keys:
        updates["data_keys"] = SecretStr(
            _read_or_create(settings.var_dir / "data_keys", new_data_key())
        )
    return settings.model_copy(update=updates) if updates else settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return resolve_secrets(Settings())
