"""French public holidays and working days, computed here (no third-party holiday data).

Holidays: Code du travail art. L3133-1 for all of France; art. L3134-13 adds Good Friday and
26 December in Alsace-Moselle (Moselle, Bas-Rhin, Haut-Rhin: départements 57, 67 and 68).
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from app.i18n import N_

SATURDAY = 5
SUNDAY = 6
ALSACE_MOSELLE_DEPARTEMENTS = frozenset({"57", "67", "68"})

WEEKEND_NAMES: dict[int, str] = {SATURDAY: N_("samedi"), SUNDAY: N_("dimanche")}


def easter_sunday(year: int) -> date:
    """Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    if year < 1583:
        raise ValueError("the Gregorian computus starts in 1583")
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741  (the algorithm's own letter)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=512)
def public_holidays(year: int, alsace_moselle: bool = False) -> Mapping[date, str]:
    """The public holidays of `year`, each with its name (a message to translate with gettext)."""
    easter = easter_sunday(year)
    holidays = {
        date(year, 1, 1): N_("1er janvier"),
        easter + timedelta(days=1): N_("lundi de Pâques"),
        date(year, 5, 1): N_("1er mai"),
        date(year, 5, 8): N_("8 mai"),
        easter + timedelta(days=39): N_("Ascension"),
        easter + timedelta(days=50): N_("lundi de Pentecôte"),
        date(year, 7, 14): N_("14 juillet"),
        date(year, 8, 15): N_("Assomption"),
        date(year, 11, 1): N_("Toussaint"),
        date(year, 11, 11): N_("11 novembre"),
        date(year, 12, 25): N_("Noël"),
    }
    if alsace_moselle:
        # L3134-13 makes Good Friday a holiday only in communes with a Protestant temple or a
        # mixed church. We treat it as one everywhere in 57, 67 and 68: that can only push a
        # due date later, never earlier, so nobody is told a platform is late when it is not.
        holidays[easter - timedelta(days=2)] = N_("Vendredi saint")
        holidays[date(year, 12, 26)] = N_("26 décembre")
    return MappingProxyType(holidays)


def non_working_reason(day: date, alsace_moselle: bool = False) -> str | None:
    """Why `day` is not a working day (holiday name or weekday), or None when it is one."""
    holiday = public_holidays(day.year, alsace_moselle).get(day)
    if holiday is not None:
        return holiday
    return WEEKEND_NAMES.get(day.weekday())


def is_working_day(day: date, alsace_moselle: bool = False) -> bool:
    """Monday to Friday and not a public holiday."""
    return non_working_reason(day, alsace_moselle) is None


def next_working_day(day: date, alsace_moselle: bool = False) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, alsace_moselle):
        day += timedelta(days=1)
    return day


def add_months(day: date, months: int) -> date:
    """The same date `months` later, or that month's last day when it has no such date."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = _calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def in_alsace_moselle(postal_code: str) -> bool:
    """Whether a French postal code belongs to Moselle, Bas-Rhin or Haut-Rhin."""
    code = postal_code.strip().replace(" ", "")
    return len(code) == 5 and code.isdigit() and code[:2] in ALSACE_MOSELLE_DEPARTEMENTS
