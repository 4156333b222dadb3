"""Turning validation errors into messages a person can act on, next to each field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from app.i18n import N_
from app.i18n import gettext as _

GENERIC: dict[str, str] = {
    "missing": N_("Ce champ est obligatoire."),
    "string_too_short": N_("Ce champ est obligatoire."),
    "string_too_long": N_("Ce texte est trop long : %(max)s caractères au plus."),
    "too_long": N_("Il y a trop d'éléments : %(max)s au plus."),
    "string_pattern_mismatch": N_("Ce format n'est pas reconnu."),
    "date_from_datetime_parsing": N_("Cette date n'existe pas."),
    "date_parsing": N_("Cette date n'existe pas."),
    "date_type": N_("Cette date n'existe pas."),
    "value_error": N_("Cette valeur n'est pas valable."),
    "literal_error": N_("Choisissez une des propositions."),
    "enum": N_("Choisissez une des propositions."),
}


def field_name(loc: tuple[Any, ...]) -> str:
    """`('postal_address', 'lines', 0)` -> `postal_address.lines.0`."""
    return ".".join(str(part) for part in loc)


def messages_from(
    exc: ValidationError, specific: Mapping[str, Mapping[str, str]] | None = None
) -> dict[str, str]:
    """One translated message per field; `specific[field][error type]` overrides the generic."""
    specific = specific or {}
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = field_name(error["loc"])
        if name in errors:
            continue
        kind = error["type"]
        template = specific.get(name, {}).get(kind) or GENERIC.get(kind) or GENERIC["value_error"]
        context = error.get("ctx") or {}
        maximum = context.get("max_length", context.get("max_length", ""))
        errors[name] = _(template, max=maximum) if "%(max)s" in template else _(template)
    return errors
