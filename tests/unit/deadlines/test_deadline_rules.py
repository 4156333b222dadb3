"""Deadline rules, one worked case per row: GDPR (1182/71) and medical record (CPC 641-642)."""

from datetime import date

import pytest

from app.deadlines.rules import (
    DeadlineQuery,
    compute_deadline,
    deadline_json,
    gdpr_deadline,
    medical_record_deadline,
)
from app.errors import Invalid
from app.i18n import use_locale

D = date.fromisoformat

# received, extended, Alsace-Moselle, due; the comment says why.
GDPR_CASES = [
    # The EDPB's worked examples (Guidelines 01/2022, §§159-161).
    ("2027-03-05", False, False, "2027-04-05"),  # 5 March -> 5 April, a Monday
    ("2025-08-31", False, False, "2025-09-30"),  # 31 August -> 30 September
    ("2026-08-31", False, False, "2026-09-30"),
    # contract.md: 5 April 2026 is Easter Sunday, 6 April Easter Monday.
    ("2026-03-05", False, False, "2026-04-07"),
    # End of month: the last day when the date does not exist.
    ("2025-01-29", False, False, "2025-02-28"),
    ("2025-01-30", False, False, "2025-02-28"),
    ("2025-01-31", False, False, "2025-02-28"),
    ("2024-01-29", False, False, "2024-02-29"),  # leap year
    ("2024-01-31", False, False, "2024-02-29"),
    ("2028-01-31", False, False, "2028-02-29"),
    ("2026-01-29", False, False, "2026-03-02"),  # 28 Feb 2026 is a Saturday
    ("2026-01-31", False, False, "2026-03-02"),
    ("2025-03-31", False, False, "2025-04-30"),
    ("2024-02-29", False, False, "2024-03-29"),  # Good Friday, a working day in Paris
    ("2026-12-01", False, False, "2027-01-04"),  # 1 January 2027 is a Friday
    # Holidays and the weekends next to them.
    ("2026-04-01", False, False, "2026-05-04"),  # 1 May 2026 is a Friday
    ("2026-04-08", False, False, "2026-05-11"),  # 8 May 2026 is a Friday
    ("2025-04-01", False, False, "2025-05-02"),  # 1 May 2025 is a Thursday
    ("2025-04-08", False, False, "2025-05-09"),  # 8 May 2025 is a Thursday
    ("2026-04-14", False, False, "2026-05-15"),  # Ascension 2026
    ("2026-04-25", False, False, "2026-05-26"),  # Whit Monday 2026
    ("2026-04-23", False, False, "2026-05-26"),  # Saturday, Sunday, Whit Monday
    ("2026-06-14", False, False, "2026-07-15"),  # 14 July 2026 is a Tuesday
    ("2025-06-12", False, False, "2025-07-15"),  # Saturday, Sunday, then 14 July a Monday
    ("2025-07-15", False, False, "2025-08-18"),  # 15 August 2025 is a Friday
    ("2026-07-15", False, False, "2026-08-17"),  # 15 August 2026 is a Saturday
    ("2025-10-01", False, False, "2025-11-03"),  # 1 November 2025 is a Saturday
    ("2026-10-01", False, False, "2026-11-02"),  # 1 November 2026 is a Sunday
    ("2025-10-11", False, False, "2025-11-12"),  # 11 November 2025 is a Tuesday
    ("2025-10-08", False, False, "2025-11-10"),  # Saturday 8: Monday 10 is a working day
    ("2024-10-09", False, False, "2024-11-12"),  # Saturday, Sunday, 11 November a Monday
    ("2026-11-25", False, False, "2026-12-28"),  # 25 December 2026 is a Friday
    ("2025-11-25", False, False, "2025-12-26"),  # 25 December 2025, a Thursday
    # Alsace-Moselle: Good Friday and 26 December too.
    ("2025-11-25", False, True, "2025-12-29"),
    ("2026-11-25", False, True, "2026-12-28"),  # 26 December 2026 is a Saturday anyway
    ("2026-03-03", False, False, "2026-04-03"),  # Good Friday 2026
    ("2026-03-03", False, True, "2026-04-07"),  # Good Friday to Easter Monday
    ("2024-02-29", False, True, "2024-04-02"),
    # The extension: three months from receipt, counted the same way.
    ("2026-03-05", True, False, "2026-06-05"),
    ("2025-11-30", True, False, "2026-03-02"),  # 28 Feb 2026, a Saturday
    ("2023-11-30", True, False, "2024-02-29"),
    ("2025-10-31", True, False, "2026-02-02"),  # 31 January 2026, a Saturday
    ("2026-02-14", True, False, "2026-05-15"),  # Ascension
    ("2025-09-25", True, True, "2025-12-29"),  # Christmas and 26 December in Alsace
]


@pytest.mark.parametrize(("received", "extended", "alsace_moselle", "due"), GDPR_CASES)
def test_gdpr_due_date(received: str, extended: bool, alsace_moselle: bool, due: str) -> None:
    deadline = gdpr_deadline(D(received), extended=extended, alsace_moselle=alsace_moselle)
    assert deadline.due == D(due)
    assert deadline.not_before is None


# received, identity requested, identity answered, due, suspended days
SUSPENSION_CASES = [
    # 10 days without a clock: 5 April + 10 = Wednesday 15 April.
    ("2026-03-05", "2026-03-10", "2026-03-20", "2026-04-15", 10),
    # 7 days move 1 May to 8 May, a holiday on a Friday.
    ("2026-04-01", "2026-04-02", "2026-04-09", "2026-05-11", 7),
    # Answered the day it was asked: nothing changes.
    ("2026-03-05", "2026-03-10", "2026-03-10", "2026-04-07", 0),
    # Asked on the Sunday a weekend added to the period: never due before the answer.
    ("2026-01-28", "2026-03-01", "2026-03-04", "2026-03-04", 3),
    # Asked on the day of receipt.
    ("2025-08-31", "2025-08-31", "2025-09-02", "2025-10-02", 2),
    # Asked after the due date: too late to suspend anything.
    ("2026-03-05", "2026-04-08", "2026-04-10", "2026-04-07", 0),
]


@pytest.mark.parametrize(("received", "asked", "answered", "due", "days"), SUSPENSION_CASES)
def test_gdpr_identity_request_suspends_the_clock(
    received: str, asked: str, answered: str, due: str, days: int
) -> None:
    deadline = gdpr_deadline(
        D(received), identity_requested=D(asked), identity_answered=D(answered)
    )
    assert deadline.due == D(due)
    assert deadline.suspended_days == days


def test_gdpr_pending_identity_request_has_no_due_date_yet() -> None:
    deadline = gdpr_deadline(D("2026-03-05"), identity_requested=D("2026-03-10"))
    assert deadline.due is None
    assert "RGPD art. 12(6)" in deadline.basis
    assert "10 mars 2026" in deadline.notes[0]


# received, older than five years (or psychiatric commission), Alsace-Moselle, not before, due
MEDICAL_RECORD_CASES = [
    ("2026-03-05", False, False, "2026-03-07", "2026-03-13"),  # Thursday + 8 = Friday
    ("2026-03-06", False, False, "2026-03-08", "2026-03-16"),  # + 8 = Saturday -> Monday
    ("2026-01-31", False, False, "2026-02-02", "2026-02-09"),  # across the month's end
    ("2026-04-23", False, False, "2026-04-25", "2026-05-04"),  # 1 May, a Friday
    ("2026-04-30", False, False, "2026-05-02", "2026-05-11"),  # 8 May, a Friday
    ("2026-07-06", False, False, "2026-07-08", "2026-07-15"),  # 14 July, a Tuesday
    ("2025-08-07", False, False, "2025-08-09", "2025-08-18"),  # 15 August, a Friday
    ("2025-10-24", False, False, "2025-10-26", "2025-11-03"),  # 1 November, a Saturday
    ("2026-11-03", False, False, "2026-11-05", "2026-11-12"),  # 11 November, a Wednesday
    ("2025-12-17", False, False, "2025-12-19", "2025-12-26"),  # Christmas, a Thursday
    ("2025-12-17", False, True, "2025-12-19", "2025-12-29"),  # and 26 December in Alsace
    ("2025-12-24", False, False, "2025-12-26", "2026-01-02"),  # 1 January, a Thursday
    ("2026-03-26", False, False, "2026-03-28", "2026-04-03"),  # Good Friday in Paris
    ("2026-03-26", False, True, "2026-03-28", "2026-04-07"),  # and in Strasbourg
    ("2024-02-27", False, False, "2024-02-29", "2024-03-06"),  # leap day on the way
    # Two months when the information is over five years old.
    ("2026-03-05", True, False, "2026-03-07", "2026-05-05"),
    ("2025-12-31", True, False, "2026-01-02", "2026-03-02"),  # 28 Feb 2026, a Saturday
    ("2023-12-31", True, False, "2024-01-02", "2024-02-29"),  # leap year
    ("2026-03-08", True, False, "2026-03-10", "2026-05-11"),  # 8 May, a Friday
    ("2026-03-14", True, False, "2026-03-16", "2026-05-15"),  # Ascension
]


@pytest.mark.parametrize(
    ("received", "long_period", "alsace_moselle", "not_before", "due"), MEDICAL_RECORD_CASES
)
def test_medical_record_dates(
    received: str, long_period: bool, alsace_moselle: bool, not_before: str, due: str
) -> None:
    deadline = medical_record_deadline(
        D(received), older_than_5_years=long_period, alsace_moselle=alsace_moselle
    )
    assert deadline.not_before == D(not_before)
    assert deadline.due == D(due)


def test_psychiatric_commission_gives_two_months() -> None:
    deadline = medical_record_deadline(D("2026-03-14"), psychiatric_commission=True)
    assert deadline.due == D("2026-05-15")


def test_contract_example_exactly() -> None:
    deadline = compute_deadline(DeadlineQuery(regime="gdpr", received=D("2026-03-05")))
    assert list(deadline_json(deadline).items())[:6] == [
        ("regime", "gdpr"),
        ("received", "2026-03-05"),
        ("extended", False),
        ("due", "2026-04-07"),
        ("not_before", None),
        ("basis", "RGPD art. 12(3); règlement (CEE, Euratom) n° 1182/71"),
    ]


def test_the_days_skipped_are_explained() -> None:
    deadline = gdpr_deadline(D("2026-03-05"))
    assert deadline.period_end == D("2026-04-05")
    assert [(s.date, s.reason) for s in deadline.skipped] == [
        (D("2026-04-05"), "dimanche"),
        (D("2026-04-06"), "lundi de Pâques"),
    ]
    with use_locale("en"):
        english = gdpr_deadline(D("2026-03-05"))
    assert [s.reason for s in english.skipped] == ["Sunday", "Easter Monday"]


def test_medical_record_basis_cites_the_code_de_la_sante_publique_and_the_cpc() -> None:
    basis = medical_record_deadline(D("2026-03-05")).basis
    assert "L1111-7" in basis
    assert "R1111-1" in basis
    assert "641-642" in basis


def test_alsace_moselle_basis_says_good_friday_is_counted_everywhere() -> None:
    basis = gdpr_deadline(D("2026-03-03"), alsace_moselle=True).basis
    assert basis.startswith("RGPD art. 12(3); règlement (CEE, Euratom) n° 1182/71; ")
    assert "L3134-13" in basis
    assert "Vendredi saint" in basis


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"regime": "medical-record", "received": D("2026-03-05"), "extended": True}, "extended"),
        (
            {"regime": "gdpr", "received": D("2026-03-05"), "older_than_5_years": True},
            "older_than_5_years",
        ),
        (
            {"regime": "gdpr", "received": D("2026-03-05"), "psychiatric_commission": True},
            "psychiatric_commission",
        ),
        ({"regime": "gdpr", "received": D("2018-05-24")}, "received"),
        ({"regime": "medical-record", "received": D("1999-12-31")}, "received"),
        ({"regime": "medical-record", "received": D("2101-01-01")}, "received"),
        (
            {"regime": "gdpr", "received": D("2026-03-05"), "identity_answered": D("2026-03-06")},
            "identity_answered",
        ),
        (
            {"regime": "gdpr", "received": D("2026-03-05"), "identity_requested": D("2026-03-04")},
            "identity_requested",
        ),
        (
            {
                "regime": "gdpr",
                "received": D("2026-03-05"),
                "identity_requested": D("2026-03-10"),
                "identity_answered": D("2026-03-09"),
            },
            "identity_answered",
        ),
        (
            {
                "regime": "medical-record",
                "received": D("2026-03-05"),
                "identity_requested": D("2026-03-10"),
            },
            "identity_requested",
        ),
        (
            {
                "regime": "gdpr",
                "received": D("2026-03-05"),
                "identity_requested": D("2026-03-10"),
                "identity_answered": D("9999-12-31"),
            },
            "identity_answered",
        ),
    ],
)
def test_nonsense_is_refused_naming_the_field(fields: dict[str, object], field: str) -> None:
    with pytest.raises(Invalid) as caught:
        compute_deadline(DeadlineQuery.model_validate(fields))
    assert list(caught.value.errors) == [field]
    assert caught.value.errors[field]


def test_gdpr_starts_on_25_may_2018() -> None:
    deadline = compute_deadline(DeadlineQuery(regime="gdpr", received=D("2018-05-25")))
    assert deadline.due == D("2018-06-25")  # Monday
