"""The identity form: field names on the page <-> the Identity model, with clear errors."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from babel import Locale
from pydantic import ValidationError

from app.clock import today
from app.i18n import N_, get_locale
from app.i18n import gettext as _
from app.letters.identity import Identity
from app.web.date_form import read_date
from app.web.forms import messages_from

FIELDS = (
    "title",
    "given_name",
    "family_name",
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
    "birth_day",
    "birth_month",
    "birth_year",
    "email",
    "phone",
)

# Model field -> page field, for putting each message next to its input.
MODEL_TO_FORM = {
    "given_name": "given_name",
    "family_name": "family_name",
    "postal_address.lines.0": "address_line1",
    "postal_address.lines.1": "address_line2",
    "postal_address.lines": "address_line1",
    "postal_address.postal_code": "postal_code",
    "postal_address.city": "city",
    "postal_address.country": "country",
    "birth_date": "birth",
    "email": "email",
    "phone": "phone",
}

SPECIFIC: dict[str, dict[str, str]] = {
    "given_name": {
        "missing": N_("Indiquez votre prénom."),
        "string_too_short": N_("Indiquez votre prénom."),
    },
    "family_name": {
        "missing": N_("Indiquez votre nom de famille."),
        "string_too_short": N_("Indiquez votre nom de famille."),
    },
    "postal_address.lines": {"too_short": N_("Indiquez votre adresse (numéro et rue).")},
    "postal_address.lines.0": {"string_too_short": N_("Indiquez votre adresse (numéro et rue).")},
    "postal_address.postal_code": {
        "string_too_short": N_("Indiquez votre code postal."),
        "string_pattern_mismatch": N_(
            "Le code postal ne peut contenir que des chiffres et des lettres."
        ),
    },
    "postal_address.city": {"string_too_short": N_("Indiquez votre ville.")},
    "postal_address.country": {"string_pattern_mismatch": N_("Choisissez un pays dans la liste.")},
    "email": {
        "value_error": N_("Indiquez une adresse e-mail complète, par exemple nom@exemple.fr.")
    },
    "phone": {
        "string_pattern_mismatch": N_(
            "Indiquez un numéro de téléphone, par exemple 06 12 34 56 78."
        )
    },
    "birth_date": {
        "value_error": N_("Indiquez une date de naissance réelle, entre 1900 et aujourd'hui.")
    },
}


# CLDR codes that are no country: test locales (XA, XB), groupings (EU, EZ, UN, QO), unknown.
NOT_COUNTRIES = frozenset({"XA", "XB", "EU", "EZ", "UN", "QO", "ZZ"})


def _sort_key(name: str) -> str:
    """As a French reader sorts: accents do not count ("États-Unis" after "Espagne")."""
    bare = unicodedata.normalize("NFD", name.casefold())
    return "".join(char for char in bare if not unicodedata.combining(char))


def countries() -> list[tuple[str, str]]:
    """(code, name) pairs in the page's language, France first, then alphabetical."""
    names = Locale.parse(get_locale()).territories
    pairs = sorted(
        (
            (code, str(name))
            for code, name in names.items()
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
        ),
        key=lambda pair: _sort_key(pair[1]),
    )
    return [("FR", str(names["FR"]))] + [pair for pair in pairs if pair[0] != "FR"]


def form_from_identity(identity: Mapping[str, Any] | None) -> dict[str, str]:
    """Prefill the page's fields from a stored identity."""
    values = dict.fromkeys(FIELDS, "")
    values["country"] = "FR"
    if not identity:
        return values
    address = identity.get("postal_address") or {}
    lines = list(address.get("lines") or [])
    values |= {
        "title": identity.get("title") or "",
        "given_name": identity.get("given_name") or "",
        "family_name": identity.get("family_name") or "",
        "address_line1": lines[0] if lines else "",
        "address_line2": lines[1] if len(lines) > 1 else "",
        "postal_code": address.get("postal_code") or "",
        "city": address.get("city") or "",
        "country": address.get("country") or "FR",
        "email": identity.get("email") or "",
        "phone": identity.get("phone") or "",
    }
    birth = identity.get("birth_date")
    if birth:
        year, month, day = str(birth).split("-")
        values.update(birth_day=str(int(day)), birth_month=str(int(month)), birth_year=year)
    for index, value in enumerate((identity.get("identifiers") or {}).values()):
        values[f"identifier_{index}"] = value
    return values


def _birth_date(values: Mapping[str, str], errors: dict[str, str]) -> date | None:
    return read_date(
        values, "birth", errors, label=_("Date de naissance"), required=False, latest=today()
    )


def identity_from_form(
    values: Mapping[str, str], identifier_labels: list[str]
) -> tuple[Identity | None, dict[str, str]]:
    """Validate the page's fields; return the identity, or the message for each bad field."""
    errors: dict[str, str] = {}
    birth = _birth_date(values, errors)
    lines = [values.get("address_line1", ""), values.get("address_line2", "")]
    identifiers = {
        label: values.get(f"identifier_{index}", "").strip()
        for index, label in enumerate(identifier_labels)
        if values.get(f"identifier_{index}", "").strip()
    }
    for index in range(len(identifier_labels)):
        if len(values.get(f"identifier_{index}", "")) > 200:
            errors[f"identifier_{index}"] = _(
                "Ce texte est trop long : %(max)s caractères au plus.", max=200
            )
    title = values.get("title", "")
    raw = {
        "title": title if title in {"madame", "monsieur"} else None,
        "given_name": values.get("given_name", ""),
        "family_name": values.get("family_name", ""),
        "birth_date": birth,
        "email": values.get("email", ""),
        "phone": values.get("phone", ""),
        "postal_address": {
            "lines": [line for line in lines if line.strip()] or [""],
            "postal_code": values.get("postal_code", ""),
            "city": values.get("city", ""),
            "country": values.get("country", "FR") or "FR",
        },
        "identifiers": identifiers,
    }
    try:
        identity = Identity.model_validate(raw)
    except ValidationError as exc:
        for name, message in messages_from(exc, SPECIFIC).items():
            errors.setdefault(MODEL_TO_FORM.get(name, name), message)
        return None, errors
    address = identity.postal_address
    if address.country == "FR" and not re.fullmatch(r"[0-9]{5}", address.postal_code):
        errors["postal_code"] = _("Un code postal français a cinq chiffres, par exemple 69001.")
    if errors:
        return None, errors
    return identity, {}
