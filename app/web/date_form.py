"""Dates typed as day, month and year (three inputs, like the identity form)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from app.i18n import gettext as _

PARTS = ("day", "month", "year")


def field_names(name: str) -> tuple[str, str, str]:
    return (f"{name}_day", f"{name}_month", f"{name}_year")


def date_values(name: str, day: dt.date | None) -> dict[str, str]:
    """Prefill the three inputs of `name`."""
    if day is None:
        return dict.fromkeys(field_names(name), "")
    return dict(zip(field_names(name), (str(day.day), str(day.month), str(day.year)), strict=True))


def read_date(
    values: Mapping[str, str], name: str, errors: dict[str, str], required: bool = True
) -> dt.date | None:
    """The date typed in `name`'s three inputs; a message in `errors[name]` when it is wrong."""
    parts = [str(values.get(field, "")).strip() for field in field_names(name)]
    if not any(parts):
        if required:
            errors[name] = _("Indiquez la date : le jour, le mois et l'année.")
        return None
    if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
        errors[name] = _("Indiquez le jour, le mois et l'année en chiffres, par exemple 5 3 2026.")
        return None
    day, month, year = (int(part) for part in parts)
    try:
        return dt.date(year, month, day)
    except ValueError:
        errors[name] = _("Cette date n'existe pas. Vérifiez le jour et le mois.")
        return None
