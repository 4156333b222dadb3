"""Sealing one cell of one row: the associated data binds the value to table, column and row."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlmodel import SQLModel

from app.config import get_settings
from app.security.crypto import blind_index, derive_key, get_keyring, open_json, seal_json


def seal(row: SQLModel, column: str, value: Any) -> bytes:
    """Encrypt `value` (JSON) for `row.column`."""
    return seal_json(get_keyring(), value, _table(row), column, row.id)  # type: ignore[attr-defined]


def unseal(row: SQLModel, column: str, default: Any = None) -> Any:
    """Decrypt `row.column`, or `default` when the cell is empty."""
    blob = getattr(row, column)
    if blob is None:
        return default
    return open_json(get_keyring(), blob, _table(row), column, row.id)  # type: ignore[attr-defined]


def _table(row: SQLModel) -> str:
    return str(row.__tablename__)


@lru_cache(maxsize=1)
def _email_key() -> bytes:
    # A key of its own (HKDF purpose), distinct from the CSRF and throttling keys.
    return derive_key(get_settings().secret_key.get_secret_value(), "blind-index/email")


def email_index(email: str) -> str:
    """Keyed blind index of an email address, for finding an account without decrypting."""
    return blind_index(_email_key(), email)


@lru_cache(maxsize=1)
def _throttle_key() -> bytes:
    return derive_key(get_settings().secret_key.get_secret_value(), "throttle")


def throttle_key(kind: str, value: str) -> str:
    """Keyed hash of an address or account for throttling (never the value itself)."""
    return blind_index(_throttle_key(), f"{kind}:{value}")


def pseudonym(value: str) -> str:
    """A short keyed hash naming an account in the logs: the same account reads the same in
    every line, and nobody without the key can tell whose it is."""
    return blind_index(_throttle_key(), f"log:{value}")[:16]


def clear_key_caches() -> None:
    _email_key.cache_clear()
    _throttle_key.cache_clear()
