"""Field encryption: AES-256-GCM bound to table, column and row; keyring; blind index."""

import base64
import os
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.security.crypto import (
    DecryptionError,
    Keyring,
    KeyringError,
    blind_index,
    context_for,
    open_json,
    seal_json,
)


def key(name: str) -> str:
    return f"{name}:" + base64.urlsafe_b64encode(os.urandom(32)).decode()


KEYRING = Keyring.parse(key("new") + "," + key("old"))


@given(st.binary(max_size=2000), st.text(max_size=50))
def test_what_is_sealed_opens_with_the_same_context(data: bytes, column: str) -> None:
    context = context_for("table", column, "row")
    assert KEYRING.decrypt(KEYRING.encrypt(data, context), context) == data


def test_a_value_moved_to_another_row_does_not_open() -> None:
    row, other = uuid.uuid4(), uuid.uuid4()
    sealed = seal_json(KEYRING, {"name": "Marie"}, "draft", "payload", row)
    assert open_json(KEYRING, sealed, "draft", "payload", row) == {"name": "Marie"}
    with pytest.raises(DecryptionError):
        open_json(KEYRING, sealed, "draft", "payload", other)
    with pytest.raises(DecryptionError):
        open_json(KEYRING, sealed, "draft", "other_column", row)


def test_tampering_is_detected() -> None:
    context = context_for("t", "c", "r")
    sealed = bytearray(KEYRING.encrypt(b"secret", context))
    sealed[-1] ^= 1
    with pytest.raises(DecryptionError):
        KEYRING.decrypt(bytes(sealed), context)


def test_the_same_value_never_seals_the_same_way() -> None:
    context = context_for("t", "c", "r")
    assert KEYRING.encrypt(b"x", context) != KEYRING.encrypt(b"x", context)


def test_newest_key_encrypts_and_older_keys_still_decrypt() -> None:
    old_only = Keyring.parse(key("old"))
    context = context_for("t", "c", "r")
    sealed = old_only.encrypt(b"kept", context)
    rotated = Keyring((("new", os.urandom(32)), *old_only.keys))
    assert rotated.decrypt(sealed, context) == b"kept"
    assert rotated.key_id_of(rotated.encrypt(b"x", context)) == "new"
    without_old = Keyring(rotated.keys[:1])
    with pytest.raises(DecryptionError):
        without_old.decrypt(sealed, context)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nocolon",
        ":" + "A" * 44,
        "k:not base64!!",
        "k:" + base64.urlsafe_b64encode(b"short").decode(),
    ],
)
def test_malformed_keyrings_are_refused(text: str) -> None:
    with pytest.raises(KeyringError):
        Keyring.parse(text)


def test_duplicate_key_ids_are_refused() -> None:
    with pytest.raises(KeyringError):
        Keyring.parse(key("a") + "," + key("a"))


def test_blind_index_is_keyed_and_normalised() -> None:
    first, second = os.urandom(32), os.urandom(32)
    assert blind_index(first, " Marie@Example.org ") == blind_index(first, "marie@example.org")
    assert blind_index(first, "marie@example.org") != blind_index(second, "marie@example.org")
