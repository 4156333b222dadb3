"""The one parser of typed dates: day, month and year in, a date or a message naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.i18n import use_locale
from app.web.date_form import DateError, date_values, month_names, parse_date, read_date

DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31))
# Nothing here is timed: a busy machine must not fail the tests.
UNTIMED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse(day: str, month: str, year: str, **limits: dt.date | None) -> dt.date | DateError | None:
    return parse_date(day, month, year, field="birth", label="Date de naissance", **limits)  # type: ignore[arg-type]


@UNTIMED
@given(DATES, st.booleans(), st.sampled_from(["", " ", "  "]))
def test_every_real_date_typed_comes_back(day: dt.date, zeros: bool, space: str) -> None:
    typed = (f"{day.day:02d}", f"{day.month:02d}") if zeros else (str(day.day), str(day.month))
    assert parse(space + typed[0] + space, typed[1], f"{space}{day.year:04d}") == day


@UNTIMED
@given(DATES)
def test_the_prefilled_parts_read_back_as_the_same_date(day: dt.date) -> None:
    values = date_values("sent", day)
    assert read_date(values, "sent", {}, label="Date d'envoi") == day


@UNTIMED
@given(st.text(max_size=6), st.text(max_size=6), st.text(max_size=6))
def test_anything_typed_gives_a_date_or_a_message_on_the_field(
    day: str, month: str, year: str
) -> None:
    result = parse(day, month, year)
    if isinstance(result, DateError):
        assert result.field == "birth"
        assert result.message.startswith("Date de naissance")
    else:
        assert isinstance(result, dt.date)
        assert int(day) == result.day
        assert int(year) == result.year


@pytest.mark.parametrize(
    ("day", "month", "year", "says"),
    [
        ("", "", "", "indiquez le jour, le mois et l'année"),
        ("", "5", "1980", "indiquez le jour en chiffres"),
        ("32", "5", "1980", "indiquez le jour en chiffres"),
        ("dix", "5", "1980", "indiquez le jour en chiffres"),
        ("١٧", "5", "1980", "indiquez le jour en chiffres"),  # Arabic-Indic digits
        ("17", "", "1980", "choisissez le mois"),
        ("17", "13", "1980", "choisissez le mois"),
        ("17", "5", "", "l'année en quatre chiffres"),
        ("17", "5", "80", "l'année en quatre chiffres"),
        ("17", "5", "1980-05-17", "l'année en quatre chiffres"),
        ("31", "4", "2026", "cette date n'existe pas"),
        ("29", "2", "2026", "cette date n'existe pas"),
        ("17", "5", "1899", "le 1er janvier 1900 ou après"),
    ],
)
def test_each_mistake_is_said_next_to_the_field(day: str, month: str, year: str, says: str) -> None:
    result = parse(day, month, year)
    assert isinstance(result, DateError)
    assert result.field == "birth"
    assert result.message.startswith("Date de naissance\u00a0: ")
    assert says in result.message


def test_an_optional_date_may_stay_empty_and_a_latest_day_is_kept() -> None:
    assert parse_date("", " ", "", field="signed", label="Signature", required=False) is None
    late = parse("6", "12", "2026", latest=dt.date(2026, 12, 5))
    assert isinstance(late, DateError)
    assert "le 5 décembre 2026 ou avant" in late.message
    assert parse("29", "2", "2028", latest=None) == dt.date(2028, 2, 29)


def test_read_date_files_the_message_under_the_field() -> None:
    errors: dict[str, str] = {}
    values = {"ends_on_day": "31", "ends_on_month": "6", "ends_on_year": "2027"}
    assert read_date(values, "ends_on", errors, label="Fin") is None
    assert list(errors) == ["ends_on"]
    assert errors["ends_on"].startswith("Fin")


def test_the_months_are_named_in_the_page_language() -> None:
    with use_locale("fr"):
        assert month_names()[0] == (1, "janvier")
        assert month_names()[11] == (12, "décembre")
    with use_locale("en"):
        assert month_names()[4] == (5, "May")
    with use_locale("en"):
        late = parse("6", "12", "2026", latest=dt.date(2026, 12, 5))
    assert isinstance(late, DateError)
    assert late.message == "Date de naissance: the date must be 5 December 2026 or earlier."
