"""Dates typed as day, month and year: the one parser behind every date field of the site.

The page shows three parts (templates/_macros/forms.html, `date_field`): the day typed, the
month chosen by its name, the year typed. Their names are `NAME_day`, `NAME_month` and
`NAME_year`; a message about the date is filed under `NAME`, next to the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from app.i18n import gettext as _
from app.i18n import long_date, month_names

__all__ = ["DateError", "date_values", "month_names", "parse_date", "read_date"]

PARTS = ("day", "month", "year")
EARLIEST = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class DateError:
    """What is wrong with the date typed in the field `field`, said in the page's language."""

    field: str
    message: str


def field_names(name: str) -> tuple[str, str, str]:
    return (f"{name}_day", f"{name}_month", f"{name}_year")


def date_values(name: str, day: dt.date | None) -> dict[str, str]:
    """Prefill the three parts of `name` (empty when there is no date)."""
    if day is None:
        return dict.fromkeys(field_names(name), "")
    return dict(zip(field_names(name), (str(day.day), str(day.month), str(day.year)), strict=True))


def iso_values(name: str, text: object) -> dict[str, str]:
    """Prefill the three parts of `name` from a stored ISO date ('' or junk: empty parts)."""
    try:
        day = dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        day = None
    return date_values(name, day)


def _number(text: str, digits: int) -> int | None:
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > digits:
        return None
    return int(text)


def parse_date(
    day: str,
    month: str,
    year: str,
    *,
    field: str,
    label: str,
    required: bool = True,
    earliest: dt.date | None = EARLIEST,
    latest: dt.date | None = None,
) -> dt.date | DateError | None:
    """The date in the three parts of `field` (`label` names it in messages): a date, a
    DateError saying what to correct, or None when an optional date is left empty."""
    if not (day.strip() or month.strip() or year.strip()):
        if required:
            return DateError(
                field, _("%(label)s : indiquez le jour, le mois et l'année.", label=label)
            )
        return None
    day_number, month_number, year_number = _number(day, 2), _number(month, 2), _number(year, 4)
    if day_number is None or not 1 <= day_number <= 31:
        return DateError(
            field, _("%(label)s : indiquez le jour en chiffres, de 1 à 31.", label=label)
        )
    if month_number is None or not 1 <= month_number <= 12:
        return DateError(field, _("%(label)s : choisissez le mois.", label=label))
    if year_number is None or len(year.strip()) != 4:
        return DateError(
            field,
            _("%(label)s : indiquez l'année en quatre chiffres, par exemple 2026.", label=label),
        )
    try:
        parsed = dt.date(year_number, month_number, day_number)
    except ValueError:
        return DateError(
            field,
            _("%(label)s : cette date n'existe pas. Vérifiez le jour et le mois.", label=label),
        )
    if earliest is not None and parsed < earliest:
        return DateError(
            field,
            _(
                "%(label)s : la date doit être le %(day)s ou après.",
                label=label,
                day=long_date(earliest),
            ),
        )
    if latest is not None and parsed > latest:
        return DateError(
            field,
            _(
                "%(label)s : la date doit être le %(day)s ou avant.",
                label=label,
                day=long_date(latest),
            ),
        )
    return parsed


def read_date(
    values: Mapping[str, object],
    name: str,
    errors: dict[str, str],
    label: str,
    required: bool = True,
    earliest: dt.date | None = EARLIEST,
    latest: dt.date | None = None,
) -> dt.date | None:
    """The date typed in `name`'s three parts; on a mistake, its message in `errors[name]`."""
    day, month, year = (str(values.get(part) or "")[:10] for part in field_names(name))
    result = parse_date(
        day,
        month,
        year,
        field=name,
        label=label,
        required=required,
        earliest=earliest,
        latest=latest,
    )
    if isinstance(result, DateError):
        errors[result.field] = result.message
        return None
    return result
