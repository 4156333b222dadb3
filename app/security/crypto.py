"""Field encryption (AES-256-GCM under a keyring) and keyed blind indexes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.config import get_settings

_VERSION = b"\x01"
_NONCE_BYTES = 12


class DecryptionError(Exception):
    """A sealed value could not be opened: wrong key, wrong row, or tampering."""


class KeyringError(ValueError):
    """REPRISE_DATA_KEYS is malformed."""


@dataclass(frozen=True)
class Keyring:
    """Data keys, newest first; the newest encrypts, any of them decrypts."""

    keys: tuple[tuple[str, bytes], ...]

    @classmethod
    def parse(cls, text: str) -> Keyring:
        """Read `id:base64key,id:base64key` (newest first)."""
        keys: list[tuple[str, bytes]] = []
        for raw_entry in text.replace("\n", ",").split(","):
            entry = raw_entry.strip()
            if not entry:
                continue
            key_id, sep, encoded = entry.partition(":")
            if not sep or not key_id or len(key_id.encode()) > 32:
                raise KeyringError("each data key must read 'id:base64' with a short id")
            try:
                raw = base64.urlsafe_b64decode(encoded.encode())
            except (binascii.Error, ValueError) as exc:
                raise KeyringError(f"data key {key_id!r} is not valid base64") from exc
            if len(raw) != 32:
                raise KeyringError(f"data key {key_id!r} must be 32 bytes (AES-256)")
            if any(key_id == known for known, _ in keys):
                raise KeyringError(f"data key id {key_id!r} appears twice")
            keys.append((key_id, raw))
        if not keys:
            raise KeyringError("the keyring holds no key")
        return cls(tuple(keys))

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    def encrypt(self, plaintext: bytes, context: bytes) -> bytes:
        """Seal `plaintext`, bound to `context` (authenticated, not stored)."""
        key_id, key = self.keys[0]
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, plaintext, context)
        kid = key_id.encode()
        return _VERSION + bytes([len(kid)]) + kid + nonce + sealed

    def key_id_of(self, blob: bytes) -> str:
        """The id of the key that sealed `blob`."""
        if not blob or blob[:1] != _VERSION:
            raise DecryptionError("unknown format")
        return blob[2 : 2 + blob[1]].decode()

    def decrypt(self, blob: bytes, context: bytes) -> bytes:
        """Open a sealed value; raises DecryptionError when it cannot be trusted."""
        key_id = self.key_id_of(blob)
        start = 2 + blob[1]
        nonce, sealed = blob[start : start + _NONCE_BYTES], blob[start + _NONCE_BYTES :]
        for known_id, key in self.keys:
            if known_id == key_id:
                try:
                    return AESGCM(key).decrypt(nonce, sealed, context)
                except InvalidTag as exc:
                    raise DecryptionError("the value does not belong here") from exc
        raise DecryptionError(f"no key {key_id!r} in the keyring")


def context_for(table: str, column: str, row_id: uuid.UUID | str) -> bytes:
    """Associated data binding a value to its table, column and row."""
    return f"reprise:{table}:{column}:{row_id}".encode()


def seal_json(keyring: Keyring, value: Any, table: str, column: str, row_id: uuid.UUID) -> bytes:
    """Encrypt a JSON-serialisable value for one cell."""
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    return keyring.encrypt(data, context_for(table, column, row_id))


def open_json(keyring: Keyring, blob: bytes, table: str, column: str, row_id: uuid.UUID) -> Any:
    """Decrypt one cell sealed by `seal_json`."""
    return json.loads(keyring.decrypt(blob, context_for(table, column, row_id)))


def seal_text(keyring: Keyring, value: str, table: str, column: str, row_id: uuid.UUID) -> bytes:
    return keyring.encrypt(value.encode(), context_for(table, column, row_id))


def open_text(keyring: Keyring, blob: bytes, table: str, column: str, row_id: uuid.UUID) -> str:
    return keyring.decrypt(blob, context_for(table, column, row_id)).decode()


def derive_key(secret: str, purpose: str) -> bytes:
    """A 32-byte key for one purpose, derived from the service secret (HKDF-SHA256)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"reprise/{purpose}".encode()
    ).derive(secret.encode())


def blind_index(key: bytes, value: str) -> str:
    """Keyed HMAC of a normalised value, for look-ups on encrypted data."""
    return hmac.new(key, value.strip().casefold().encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """SHA-256 of a high-entropy random token (what the database keeps of it)."""
    return hashlib.sha256(token.encode()).hexdigest()


@lru_cache(maxsize=1)
def get_keyring() -> Keyring:
    """The keyring of this process, from REPRISE_DATA_KEYS."""
    return Keyring.parse(get_settings().data_keys.get_secret_value())
