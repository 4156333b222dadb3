"""The French working-day calendar: Easter, public holidays, Alsace-Moselle, month arithmetic."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.deadlines.calendar import (
    add_months,
    easter_sunday,
    in_alsace_moselle,
    is_working_day,
    next_working_day,
    public_holidays,
)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1818, date(1818, 3, 22)),  # the earliest possible date
        (1943, date(1943, 4, 25)),  # the latest possible date
        (2000, date(2000, 4, 23)),
        (2008, date(2008, 3, 23)),
        (2011, date(2011, 4, 24)),
        (2018, date(2018, 4, 1)),
        (2019, date(2019, 4, 21)),
        (2020, date(2020, 4, 12)),
        (2021, date(2021, 4, 4)),
        (2022, date(2022, 4, 17)),
        (2023, date(2023, 4, 9)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2028, date(2028, 4, 16)),
        (2029, date(2029, 4, 1)),
        (2030, date(2030, 4, 21)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday_of_known_years(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


@given(st.integers(min_value=1583, max_value=4099))
def test_easter_is_a_sunday_between_22_march_and_25_april(year: int) -> None:
    easter = easter_sunday(year)
    assert easter.weekday() == 6
    assert date(year, 3, 22) <= easter <= date(year, 4, 25)


def test_french_holidays_2026() -> None:
    assert set(public_holidays(2026)) == {
        date(2026, 1, 1),
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 14),  # Ascension
        date(2026, 5, 25),  # Whit Monday
        date(2026, 7, 14),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
    }


@pytest.mark.parametrize(
    ("year", "easter_monday", "ascension", "whit_monday"),
    [
        (2024, date(2024, 4, 1), date(2024, 5, 9), date(2024, 5, 20)),
        (2025, date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9)),
        (2026, date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)),
        (2027, date(2027, 3, 29), date(2027, 5, 6), date(2027, 5, 17)),
    ],
)
def test_movable_holidays(
    year: int, easter_monday: date, ascension: date, whit_monday: date
) -> None:
    names = public_holidays(year)
    assert names[easter_monday] == "lundi de Pâques"
    assert names[ascension] == "Ascension"
    assert names[whit_monday] == "lundi de Pentecôte"
    assert len(names) == 11


def test_alsace_moselle_adds_good_friday_and_26_december() -> None:
    local = public_holidays(2026, alsace_moselle=True)
    assert set(local) - set(public_holidays(2026)) == {date(2026, 4, 3), date(2026, 12, 26)}
    assert local[date(2026, 4, 3)] == "Vendredi saint"
    assert is_working_day(date(2026, 4, 3))
    assert not is_working_day(date(2026, 4, 3), alsace_moselle=True)
    assert is_working_day(date(2025, 12, 26))
    assert not is_working_day(date(2025, 12, 26), alsace_moselle=True)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 6), True),  # Friday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 8), False),  # Sunday
        (date(2026, 4, 5), False),  # Easter Sunday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 4, 7), True),
        (date(2026, 5, 1), False),
        (date(2026, 7, 14), False),
        (date(2026, 12, 24), True),
        (date(2026, 12, 31), True),
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 5), 1, date(2026, 4, 5)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 1, 29), 1, date(2025, 2, 28)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 29), 1, date(2024, 2, 29)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 1, date(2024, 3, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 10, 31), 3, date(2027, 1, 31)),
    ],
)
def test_add_months_keeps_the_date_or_takes_the_last_day(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.booleans())
def test_next_working_day_is_the_first_one(day: date, alsace_moselle: bool) -> None:
    found = next_working_day(day, alsace_moselle)
    assert found >= day
    assert is_working_day(found, alsace_moselle)
    assert (found - day).days <= 4  # the longest run: Good Friday to Easter Monday
    between = day
    while between < found:
        assert not is_working_day(between, alsace_moselle)
        between += timedelta(days=1)


@pytest.mark.parametrize(
    ("code", "inside"),
    [
        ("57000", True),  # Metz
        ("67000", True),  # Strasbourg
        ("68100", True),  # Mulhouse
        ("67 000", True),
        ("75011", False),
        ("54000", False),  # Nancy, Meurthe-et-Moselle
        ("5700", False),
        ("", False),
    ],
)
def test_alsace_moselle_postal_codes(code: str, inside: bool) -> None:
    assert in_alsace_moselle(code) is inside
