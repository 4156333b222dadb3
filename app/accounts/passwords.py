"""Password rules (ASVS 6.2, CNIL 2022-100) and Argon2id hashing (ASVS 11.4.2)."""

from __future__ import annotations

import gzip
import unicodedata
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.i18n import gettext as _

MIN_LENGTH = 15
MAX_LENGTH = 128
COMMON_LIST = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"

# Above OWASP's Argon2id floor (m=19 MiB, t=2, p=1) on every parameter, and above its m=46 MiB,
# t=1 option; p=1 keeps a sign-in to one core (bench/accounts.py measures the cost).
TIME_COST = 2
MEMORY_COST_KIB = 47104
PARALLELISM = 1

_hasher = PasswordHasher(
    time_cost=TIME_COST,
    memory_cost=MEMORY_COST_KIB,
    parallelism=PARALLELISM,
    hash_len=32,
    salt_len=16,
    type=Type.ID,
)
# A hash checked against when the account does not exist, so both paths take as long. Written
# out rather than computed at import, which cost every process (each web worker, each command)
# 90 ms and 46 MiB; made with the parameters above (a test checks they still are).
DUMMY_HASH = (
    "$argon2id$v=19$m=47104,t=2,p=1$33MfQR4y+9nOoGcYCFQ68w"
    "$Iv0OR+OprdEn5ILFrE9zfGAQalFLJQfeybZUu3C/eyw"
)


def normalise(password: str) -> str:
    """NFKC, as ASVS 6.2 recommends, so the same passphrase typed on two devices matches."""
    return unicodedata.normalize("NFKC", password)


@lru_cache(maxsize=1)
def _common() -> bytes:
    # One sorted blob, searched by bisection: about 7 MB instead of a 40 MB Python set.
    return b"\n" + gzip.decompress(COMMON_LIST.read_bytes())


def is_common(password: str) -> bool:
    """True when the password (or its lower-case form) is in the bundled breach list."""
    blob = _common()
    return any(_find(blob, candidate.encode()) for candidate in {password, password.lower()})


def _find(blob: bytes, needle: bytes) -> bool:
    low, high = 0, len(blob)
    while low < high:
        middle = (low + high) // 2
        start = blob.rfind(b"\n", 0, middle + 1) + 1
        end = blob.find(b"\n", start)
        end = len(blob) if end == -1 else end
        line = blob[start:end]
        if line == needle:
            return True
        if start == 0 or line < needle:
            low = end + 1
        else:
            high = start - 1
    return False


def password_problem(password: str, email: str = "") -> str | None:
    """The reason this password is refused, in words a person can act on; None when fine."""
    password = normalise(password)
    if len(password) < MIN_LENGTH:
        return _(
            "Choisissez un mot de passe d'au moins %(min)s caractères. Une phrase de "
            "quelques mots simples est facile à retenir et difficile à deviner.",
            min=MIN_LENGTH,
        )
    if len(password) > MAX_LENGTH:
        return _("Ce mot de passe est trop long : %(max)s caractères au plus.", max=MAX_LENGTH)
    if len(set(password)) < 4:
        return _("Ce mot de passe répète trop les mêmes caractères. Choisissez-en un autre.")
    local = email.split("@", 1)[0].casefold()
    lowered = password.casefold()
    if (len(local) >= 4 and local in lowered) or "reprise" in lowered:
        return _(
            "Ce mot de passe contient votre adresse e-mail ou le nom du site. Choisissez-en un "
            "autre."
        )
    if is_common(password):
        return _(
            "Ce mot de passe figure dans les listes de mots de passe piratés ou trop courants. "
            "Choisissez-en un autre."
        )
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(normalise(password))


def verify_password(stored: str | None, password: str) -> bool:
    """Check a password in constant-ish time, whether or not an account exists."""
    try:
        return _hasher.verify(stored or DUMMY_HASH, normalise(password)) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with other parameters than today's (upgrade at sign-in)."""
    try:
        return _hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True
