"""Properties every deadline keeps, whatever the receipt date (Hypothesis)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.deadlines.calendar import add_months, is_working_day
from app.deadlines.rules import (
    GDPR_START,
    LATEST,
    gdpr_deadline,
    medical_record_deadline,
)

gdpr_days = st.dates(min_value=GDPR_START, max_value=LATEST)
medical_days = st.dates(min_value=date(2000, 1, 1), max_value=LATEST)


@given(gdpr_days, st.booleans(), st.booleans())
def test_gdpr_due_is_a_working_day_never_before_the_period(
    received: date, extended: bool, alsace_moselle: bool
) -> None:
    deadline = gdpr_deadline(received, extended=extended, alsace_moselle=alsace_moselle)
    assert deadline.due is not None
    assert is_working_day(deadline.due, alsace_moselle)
    assert deadline.due >= add_months(received, 3 if extended else 1)
    assert deadline.due > received + timedelta(days=27)
    # Only days off lie between the period's end and the due date.
    assert len(deadline.skipped) == (deadline.due - add_months(received, 3 if extended else 1)).days
    assert all(not is_working_day(s.date, alsace_moselle) for s in deadline.skipped)


@given(gdpr_days, gdpr_days, st.booleans(), st.booleans())
def test_gdpr_due_is_monotone_in_the_receipt_date(
    first: date, second: date, extended: bool, alsace_moselle: bool
) -> None:
    early, late = sorted((first, second))
    due_early = gdpr_deadline(early, extended=extended, alsace_moselle=alsace_moselle).due
    due_late = gdpr_deadline(late, extended=extended, alsace_moselle=alsace_moselle).due
    assert due_early is not None
    assert due_late is not None
    assert due_early <= due_late


@given(gdpr_days, st.booleans())
def test_alsace_moselle_never_brings_a_deadline_forward(received: date, extended: bool) -> None:
    national = gdpr_deadline(received, extended=extended).due
    local = gdpr_deadline(received, extended=extended, alsace_moselle=True).due
    assert national is not None
    assert local is not None
    assert national <= local


@given(
    st.dates(min_value=GDPR_START, max_value=date(2099, 1, 1)),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=120),
)
def test_suspension_never_shortens_and_never_ends_before_the_answer(
    received: date, asked_after: int, waited: int
) -> None:
    asked = received + timedelta(days=asked_after)
    answered = asked + timedelta(days=waited)
    plain = gdpr_deadline(received).due
    suspended = gdpr_deadline(received, identity_requested=asked, identity_answered=answered)
    assert plain is not None
    assert suspended.due is not None
    assert is_working_day(suspended.due)
    assert suspended.due >= plain
    if asked <= plain:
        assert suspended.due >= answered
        assert suspended.due >= add_months(received, 1) + timedelta(days=waited)
    else:
        assert suspended.due == plain


@given(
    st.dates(min_value=GDPR_START, max_value=date(2099, 1, 1)),
    st.integers(min_value=0, max_value=70),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=60),
)
def test_suspended_due_is_monotone_in_the_receipt_date(
    early: date, later_by: int, asked_after: int, waited: int
) -> None:
    late = early + timedelta(days=later_by)
    asked = late + timedelta(days=asked_after)  # an identity request comes after receipt
    answered = asked + timedelta(days=waited)
    due_early = gdpr_deadline(early, identity_requested=asked, identity_answered=answered).due
    due_late = gdpr_deadline(late, identity_requested=asked, identity_answered=answered).due
    assert due_early is not None
    assert due_late is not None
    assert due_early <= due_late


@given(medical_days, st.booleans(), st.booleans())
def test_medical_record_window(received: date, long_period: bool, alsace_moselle: bool) -> None:
    deadline = medical_record_deadline(
        received, older_than_5_years=long_period, alsace_moselle=alsace_moselle
    )
    assert deadline.due is not None
    assert deadline.not_before == received + timedelta(days=2)
    assert is_working_day(deadline.due, alsace_moselle)
    period_end = add_months(received, 2) if long_period else received + timedelta(days=8)
    assert deadline.due >= period_end
    assert deadline.not_before < deadline.due


@given(medical_days, medical_days, st.booleans())
def test_medical_record_due_is_monotone(first: date, second: date, long_period: bool) -> None:
    early, late = sorted((first, second))
    due_early = medical_record_deadline(early, older_than_5_years=long_period).due
    due_late = medical_record_deadline(late, older_than_5_years=long_period).due
    assert due_early is not None
    assert due_late is not None
    assert due_early <= due_late
