# ruff: noqa: E501  (the lifecycle table keeps one state per line)
"""The pure cores of tracking, tested by tables and Hypothesis: the lifecycle (states x events
-> next state or refusal), the due date from the events (the deadline rules' own result), the
next step, and the reminders planned around the due date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.deadlines.rules import DeadlineQuery, compute_deadline
from app.errors import Invalid
from app.proceedings.deadline import add_working_days, due_of, receipt_of
from app.proceedings.events import Event
from app.proceedings.lifecycle import (
    EVENT_KEYS,
    STATES,
    TABLE,
    Facts,
    allowed,
    apply,
    event_key,
    replay,
    start,
)
from app.proceedings.next_steps import (
    next_reminder,
    next_step,
    reminder_moments,
    useful_letters,
)

D = dt.date
TODAY = D(2027, 6, 30)
LETTER = D(2026, 3, 2)


def ev(key: str, day: D, **extra: object) -> Event:
    """The event of an event key (`answer:refusal`, `letter:reminder`, `sent`...)."""
    kind, _sep, detail = key.partition(":")
    fields: dict[str, object] = {"date": day, **extra}
    if kind == "letter":
        fields |= {"kind": "generated", "letter": detail}
    else:
        fields["kind"] = kind
    if kind == "answer":
        fields["outcome"] = detail
    if kind in {"sent", "reminder"}:
        fields.setdefault("channel", "post")
    if kind == "complaint":
        fields.setdefault("authority", "cnil")
    return Event.model_validate(fields)


def run(right: str, *keys: str) -> Facts:
    """The facts after events on consecutive days from 3 March 2026."""
    facts = start(right, LETTER)
    for offset, key in enumerate(keys, 1):
        facts = apply(facts, ev(key, LETTER + dt.timedelta(days=offset)), TODAY)
    return facts


# How each state is reached (an access request unless said otherwise).
PATHS: dict[str, tuple[str, ...]] = {
    "generated": (),
    "waiting": ("sent",),
    "suspended": ("sent", "identity-requested"),
    "answered": ("sent", "answer:complete"),
    "incomplete": ("sent", "answer:incomplete"),
    "refused": ("sent", "answer:refusal"),
    "reminded": ("sent", "reminder"),
    "complaint": ("sent", "complaint"),
    "closed": ("closed",),
}

# The lifecycle, as a person would read it: state x event -> next state ("=": unchanged,
# "x": refused). Columns follow EVENT_KEYS. For an access request; `answer:erased` is refused
# for it (erasure requests only), the incomplete-answer letter needs an incomplete answer, and
# the psychiatric care commission (`com`) only concerns medical records (its own table below).
COLUMNS = EVENT_KEYS
# fmt: off
EXPECTED: dict[str, tuple[str, ...]] = {
    #              sent       received  id-req      id-ans    ext  com  complete    incomplete    refusal   erased reminder    complaint    closed  L:rem L:inc L:cf L:cada
    "generated": ("waiting",  "x",      "x",        "x",      "x", "x", "x",        "x",          "x",      "x",   "x",        "x",         "closed", "x", "x",  "x", "x"),
    "waiting":   ("x",        "=",      "suspended", "x",     "=", "x", "answered", "incomplete", "refused", "x",  "reminded", "complaint", "closed", "=", "x",  "=", "x"),
    "suspended": ("x",        "=",      "x",        "waiting", "x", "x", "answered", "incomplete", "refused", "x",  "x",        "complaint", "closed", "x", "x",  "=", "x"),
    "answered":  ("x",        "=",      "x",        "x",      "x", "x", "answered", "incomplete", "refused", "x",  "x",        "complaint", "closed", "x", "x",  "=", "x"),
    "incomplete": ("x",       "=",      "x",        "x",      "x", "x", "answered", "incomplete", "refused", "x",  "reminded", "complaint", "closed", "=", "=",  "=", "x"),
    "refused":   ("x",        "=",      "x",        "x",      "x", "x", "answered", "incomplete", "refused", "x",  "x",        "complaint", "closed", "x", "x",  "=", "x"),
    "reminded":  ("x",        "=",      "suspended", "x",     "=", "x", "answered", "incomplete", "refused", "x",  "reminded", "complaint", "closed", "=", "x",  "=", "x"),
    "complaint": ("x",        "=",      "x",        "x",      "x", "x", "answered", "incomplete", "refused", "x",  "x",        "complaint", "closed", "x", "x",  "=", "x"),
    "closed":    ("x",        "x",      "x",        "x",      "x", "x", "x",        "x",          "x",      "x",   "x",        "x",         "x",      "x", "x",  "x", "x"),
}
# fmt: on
CELLS = [(state, key) for state in EXPECTED for key in COLUMNS]


def test_the_expected_table_covers_every_state_and_event() -> None:
    assert set(EXPECTED) == set(STATES) == set(TABLE)
    assert all(len(row) == len(COLUMNS) for row in EXPECTED.values())


@pytest.mark.parametrize(("state", "key"), CELLS, ids=[f"{s}|{k}" for s, k in CELLS])
def test_lifecycle_table(state: str, key: str) -> None:
    facts = run("access", *PATHS[state])
    assert facts.state == state
    expected = EXPECTED[state][COLUMNS.index(key)]
    # a receipt comes before what the platform did next; anything else after every event
    day = LETTER + dt.timedelta(days=1 if key == "received" else 10)
    if expected == "x":
        with pytest.raises(Invalid) as refused:
            apply(facts, ev(key, day), TODAY)
        assert set(refused.value.errors) <= {"kind", "outcome", "letter", "authority"}
        assert all(message for message in refused.value.errors.values())
        assert key not in allowed(facts)
    else:
        after = apply(facts, ev(key, day), TODAY)
        assert after.state == (state if expected == "=" else expected)
        assert key in allowed(facts)


# The psychiatric care commission, for a medical record: seized while the record is awaited.
# (A medical record has no identity suspension: "suspended" is not reachable.)
COMMISSION: dict[str, str] = {
    "generated": "x",
    "waiting": "=",
    "answered": "x",
    "incomplete": "x",
    "refused": "x",
    "reminded": "=",
    "complaint": "x",
    "closed": "x",
}


@pytest.mark.parametrize(("state", "expected"), list(COMMISSION.items()))
def test_the_commission_is_seized_while_a_medical_record_is_awaited(
    state: str, expected: str
) -> None:
    facts = run("medical-record", *PATHS[state])
    assert facts.state == state
    day = LETTER + dt.timedelta(days=10)
    if expected == "x":
        with pytest.raises(Invalid) as refused:
            apply(facts, ev("commission", day), TODAY)
        assert set(refused.value.errors) == {"kind"}
        assert "commission" not in allowed(facts)
    else:
        after = apply(facts, ev("commission", day), TODAY)
        assert (after.state, after.commission_on) == (state, day)
        assert "commission" in allowed(facts)
        assert replay("medical-record", after.events) == after


@pytest.mark.parametrize(
    ("right", "keys", "event", "field", "words"),
    [
        ("access", ("sent", "received"), "received", "kind", "déjà"),
        ("access", ("sent", "extension"), "extension", "kind", "déjà"),
        ("medical-record", ("sent",), "extension", "kind", "dossier médical"),
        ("medical-record", ("sent",), "identity-requested", "kind", "dossier médical"),
        (
            "access",
            ("sent", "identity-requested", "identity-answered"),
            "identity-requested",
            "kind",
            "qu'une",
        ),
        ("erasure", ("sent", "answer:incomplete"), "letter:incomplete-answer", "letter", "accès"),
        ("access", ("sent", "answer:refusal"), "letter:cada-referral", "letter", "CADA"),
        ("erasure", ("sent",), "answer:erased", None, None),
        ("access", ("sent",), "commission", "kind", "dossier médical"),
        ("medical-record", ("sent", "commission"), "commission", "kind", "déjà"),
    ],
)
def test_what_the_facts_forbid(
    right: str, keys: tuple[str, ...], event: str, field: str | None, words: str | None
) -> None:
    facts = run(right, *keys)
    day = LETTER + dt.timedelta(days=20)
    if field is None:
        assert apply(facts, ev(event, day), TODAY).state == "answered"
        return
    with pytest.raises(Invalid) as refused:
        apply(facts, ev(event, day), TODAY)
    assert words is not None
    assert words in refused.value.errors[field]


@pytest.mark.parametrize(
    ("keys", "event", "day", "words"),
    [
        ((), "sent", D(2026, 3, 1), "préparée le 2 mars 2026"),
        ((), "sent", TODAY + dt.timedelta(days=1), "futur"),
        (("sent",), "received", D(2026, 3, 2), "avant d'être envoyée"),
        (("sent", "answer:refusal"), "received", D(2026, 3, 20), "ce que l'organisme a fait"),
        (("sent", "received"), "answer:complete", D(2026, 3, 3), "précède"),
        (("sent", "identity-requested"), "identity-answered", D(2026, 3, 2), "précède"),
    ],
)
def test_dates_that_cannot_be(keys: tuple[str, ...], event: str, day: D, words: str) -> None:
    facts = run("access", *keys)
    with pytest.raises(Invalid) as refused:
        apply(facts, ev(event, day), TODAY)
    assert words in refused.value.errors["date"]


def test_before_the_gdpr_there_is_no_gdpr_deadline() -> None:
    facts = start("access", D(2018, 1, 1))
    with pytest.raises(Invalid) as refused:
        apply(facts, ev("sent", D(2018, 5, 24)), TODAY)
    assert "25 mai 2018" in refused.value.errors["date"]


def test_fields_each_event_needs() -> None:
    facts = run("access", "sent")
    with pytest.raises(Invalid) as refused:
        apply(facts, Event(kind="answer", date=D(2026, 3, 10)), TODAY)
    assert "outcome" in refused.value.errors
    with pytest.raises(Invalid) as refused:
        apply(facts, Event(kind="reminder", date=D(2026, 3, 10)), TODAY)
    assert "channel" in refused.value.errors
    with pytest.raises(Invalid) as refused:
        apply(
            facts,
            Event(kind="answer", date=D(2026, 3, 10), outcome="refusal", missing=("copy",)),
            TODAY,
        )
    assert "missing" in refused.value.errors


# ------------------------------------------------------------------ deadlines through events


def deadline_case(
    right: str, events: list[Event], alsace: bool = False, older: bool = False
) -> tuple[D | None, str, bool]:
    facts = start(right, events[0].date)
    for event in events:
        facts = apply(facts, event, TODAY)
    due = due_of(facts, alsace_moselle=alsace, older_than_5_years=older)
    return due.day, due.basis, due.estimated


S = lambda day, channel="post": Event(kind="sent", date=day, channel=channel)  # noqa: E731
R = lambda day: Event(kind="received", date=day)  # noqa: E731

# (name, right, events, alsace, older than 5 years, due, basis, estimated)
DEADLINES = [
    (
        "GDPR: 5 March -> 5 April is Easter Sunday, 6 April Easter Monday: 7 April",
        "access",
        [S(D(2026, 3, 3)), R(D(2026, 3, 5))],
        False,
        False,
        D(2026, 4, 7),
        "legal",
        False,
    ),
    (
        "GDPR: 31 August -> 30 September (no 31st)",
        "erasure",
        [S(D(2026, 8, 28)), R(D(2026, 8, 31))],
        False,
        False,
        D(2026, 9, 30),
        "legal",
        False,
    ),
    (
        "GDPR by email: received the day it is sent; 28 February is a Saturday -> 2 March",
        "access",
        [S(D(2026, 1, 30), "email")],
        False,
        False,
        D(2026, 3, 2),
        "legal",
        True,
    ),
    (
        "GDPR by post: three working days (1 May off) -> 6 May; 6 June a Saturday -> 8 June",
        "objection",
        [S(D(2026, 4, 30))],
        False,
        False,
        D(2026, 6, 8),
        "legal",
        True,
    ),
    (
        "GDPR extension announced within the month: three months",
        "access",
        [S(D(2026, 1, 8)), R(D(2026, 1, 10)), Event(kind="extension", date=D(2026, 2, 1))],
        False,
        False,
        D(2026, 4, 10),
        "legal",
        False,
    ),
    (
        "GDPR extension announced after the month: does not count",
        "access",
        [S(D(2026, 1, 8)), R(D(2026, 1, 10)), Event(kind="extension", date=D(2026, 2, 15))],
        False,
        False,
        D(2026, 2, 10),
        "legal",
        False,
    ),
    (
        "GDPR identity asked 10 March, given 20 March: ten days added, 12 April a Sunday -> 13",
        "access",
        [
            S(D(2026, 3, 2)),
            R(D(2026, 3, 2)),
            Event(kind="identity-requested", date=D(2026, 3, 10)),
            Event(kind="identity-answered", date=D(2026, 3, 20)),
        ],
        False,
        False,
        D(2026, 4, 13),
        "legal",
        False,
    ),
    (
        "GDPR identity asked and not given: suspended, no due date",
        "access",
        [S(D(2026, 3, 2)), R(D(2026, 3, 2)), Event(kind="identity-requested", date=D(2026, 3, 10))],
        False,
        False,
        None,
        "legal",
        False,
    ),
    (
        "GDPR, Alsace-Moselle: 3 April 2026 is Good Friday there -> 7 April",
        "access",
        [S(D(2026, 3, 2)), R(D(2026, 3, 3))],
        True,
        False,
        D(2026, 4, 7),
        "legal",
        False,
    ),
    (
        "GDPR, elsewhere: 3 April 2026 is a working day",
        "access",
        [S(D(2026, 3, 2)), R(D(2026, 3, 3))],
        False,
        False,
        D(2026, 4, 3),
        "legal",
        False,
    ),
    (
        "Medical record: 8 days",
        "medical-record",
        [S(D(2026, 6, 8)), R(D(2026, 6, 10))],
        False,
        False,
        D(2026, 6, 18),
        "legal",
        False,
    ),
    (
        "Medical record over five years old: 2 months",
        "medical-record",
        [S(D(2026, 6, 8)), R(D(2026, 6, 10))],
        False,
        True,
        D(2026, 8, 10),
        "legal",
        False,
    ),
    (
        "Medical record, psychiatric care commission seized: two months from the receipt",
        "medical-record",
        [S(D(2026, 6, 8)), R(D(2026, 6, 10)), Event(kind="commission", date=D(2026, 6, 15))],
        False,
        False,
        D(2026, 8, 10),
        "legal",
        False,
    ),
    (
        "Commission seized before the receipt is known: it had the request by then; 9 August "
        "2026 is a Sunday -> 10 August",
        "medical-record",
        [S(D(2026, 6, 8)), Event(kind="commission", date=D(2026, 6, 9))],
        False,
        False,
        D(2026, 8, 10),
        "legal",
        True,
    ),
    (
        "Medical record: 15 August a Saturday and a holiday -> 17 August",
        "medical-record",
        [S(D(2026, 8, 5)), R(D(2026, 8, 7))],
        False,
        False,
        D(2026, 8, 17),
        "legal",
        False,
    ),
    (
        "Medical record, Alsace-Moselle: 26 December 2025 is a holiday there -> 29 December",
        "medical-record",
        [S(D(2025, 12, 16)), R(D(2025, 12, 18))],
        True,
        False,
        D(2025, 12, 29),
        "legal",
        False,
    ),
    (
        "Medical record elsewhere: 26 December 2025 is a working day",
        "medical-record",
        [S(D(2025, 12, 16)), R(D(2025, 12, 18))],
        False,
        False,
        D(2025, 12, 26),
        "legal",
        False,
    ),
    (
        "After a reminder: 15 days (Reprise's practical choice) beyond the legal date",
        "access",
        [
            S(D(2026, 3, 2)),
            R(D(2026, 3, 3)),
            Event(kind="reminder", date=D(2026, 4, 10), channel="email"),
        ],
        False,
        False,
        D(2026, 4, 25),
        "practical",
        False,
    ),
    (
        "An identity request before the estimated receipt moves the estimate back to it",
        "access",
        [
            S(D(2026, 3, 2)),
            Event(kind="identity-requested", date=D(2026, 3, 3)),
            Event(kind="identity-answered", date=D(2026, 3, 4)),
        ],
        False,
        False,
        D(2026, 4, 7),
        "legal",
        True,
    ),
]


@pytest.mark.parametrize(
    ("name", "right", "events", "alsace", "older", "due", "basis", "estimated"),
    DEADLINES,
    ids=[case[0] for case in DEADLINES],
)
def test_deadline_cases_through_proceedings(
    name: str,
    right: str,
    events: list[Event],
    alsace: bool,
    older: bool,
    due: D | None,
    basis: str,
    estimated: bool,
) -> None:
    assert deadline_case(right, events, alsace, older) == (due, basis, estimated)


def test_three_working_days_by_post_skip_weekends_and_holidays() -> None:
    assert add_working_days(D(2026, 4, 30), 3) == D(2026, 5, 6)
    assert add_working_days(D(2025, 12, 24), 3) == D(2025, 12, 30)
    assert add_working_days(D(2025, 12, 24), 3, alsace_moselle=True) == D(2025, 12, 31)


# ------------------------------------------------------------------ next steps and reminders


NEXT = [
    ("nothing sent", (), D(2026, 3, 3), "send"),
    ("sent by post, receipt unknown", ("sent",), D(2026, 3, 5), "record-receipt"),
    ("waiting before the due date", ("sent", "received"), D(2026, 3, 20), "wait"),
    ("past the due date", ("sent", "received"), D(2026, 5, 1), "remind"),
    ("identity asked", ("sent", "identity-requested"), D(2026, 3, 20), "answer-identity"),
    ("incomplete answer", ("sent", "answer:incomplete"), D(2026, 3, 20), "write-incomplete"),
    (
        "incomplete answer letter written",
        ("sent", "answer:incomplete", "letter:incomplete-answer"),
        D(2026, 3, 20),
        "send",
    ),
    ("reminded, waiting", ("sent", "reminder"), D(2026, 3, 10), "wait"),
    ("reminded, past the wait", ("sent", "reminder"), D(2026, 6, 1), "complain"),
    ("refused", ("sent", "answer:refusal"), D(2026, 3, 20), "complain"),
    ("complete answer", ("sent", "answer:complete"), D(2026, 3, 20), "close"),
    ("complaint filed", ("sent", "complaint"), D(2026, 3, 20), "wait-authority"),
    ("closed", ("sent", "closed"), D(2026, 3, 20), "none"),
]


@pytest.mark.parametrize(("name", "keys", "today", "code"), NEXT, ids=[n[0] for n in NEXT])
def test_next_step(name: str, keys: tuple[str, ...], today: D, code: str) -> None:
    facts = run("access", *keys)
    assert next_step(facts, due_of(facts), today).code == code


def test_a_refused_medical_record_at_a_hospital_goes_to_the_cada() -> None:
    facts = run("medical-record", "sent", "answer:refusal")
    step = next_step(facts, due_of(facts), D(2026, 4, 1), hospital=True)
    assert (step.code, step.letter) == ("refer-cada", "cada-referral")
    assert "cada-referral" in useful_letters(facts, due_of(facts), D(2026, 4, 1), hospital=True)
    assert next_step(facts, due_of(facts), D(2026, 4, 1), hospital=False).code == "complain"


def test_reminders_seven_days_before_on_the_day_and_the_day_after() -> None:
    facts = run("access", "sent", "received")  # received 4 March: due 4 April (Saturday) -> 7
    due = due_of(facts)
    assert due.day == D(2026, 4, 7)
    assert reminder_moments(facts, due) == [
        ("before", D(2026, 3, 31)),
        ("due", D(2026, 4, 7)),
        ("after", D(2026, 4, 8)),
    ]
    moments = reminder_moments(facts, due)
    assert next_reminder(moments, D(2026, 3, 20)) == ("before", D(2026, 3, 31))
    assert next_reminder(moments, D(2026, 4, 7)) == ("due", D(2026, 4, 7))
    assert next_reminder(moments, D(2026, 4, 9)) is None
    assert next_reminder(moments, D(2026, 4, 7), after=("due", D(2026, 4, 7))) == (
        "after",
        D(2026, 4, 8),
    )
    # a runner stopped for two days catches up with the latest reminder only
    assert next_reminder(moments, D(2026, 4, 8), after=("before", D(2026, 3, 31)), catch_up=1) == (
        "after",
        D(2026, 4, 8),
    )


def test_a_letter_never_marked_as_sent_is_reminded_after_three_days() -> None:
    facts = start("access", D(2026, 3, 2))
    assert reminder_moments(facts, due_of(facts)) == [("unsent", D(2026, 3, 5))]
    sent = apply(facts, ev("sent", D(2026, 3, 4)), TODAY)
    assert ("unsent", D(2026, 3, 5)) not in reminder_moments(sent, due_of(sent))


def test_no_reminder_once_answered_or_closed() -> None:
    for keys in (("sent", "answer:complete"), ("sent", "closed"), ("sent", "identity-requested")):
        facts = run("access", *keys)
        assert reminder_moments(facts, due_of(facts)) == []


# ------------------------------------------------------------------ Hypothesis

KEYS = st.sampled_from(EVENT_KEYS)
RIGHTS = st.sampled_from(["access", "erasure", "medical-record", "objection"])


@st.composite
def histories(draw: st.DrawFn) -> tuple[str, list[tuple[str, int, str]]]:
    right = draw(RIGHTS)
    steps = draw(
        st.lists(
            st.tuples(
                KEYS,
                st.integers(min_value=-3, max_value=40),
                st.sampled_from(["post", "email", "web-form"]),
            ),
            max_size=14,
        )
    )
    return right, steps


def independent_due(facts: Facts, alsace: bool) -> D | None:
    """The deadline rules' answer, asked directly from the recorded events."""
    sent = next(e for e in facts.events if e.kind == "sent")
    received = next((e.date for e in facts.events if e.kind == "received"), None)
    if received is None:
        received = add_working_days(sent.date, 3, alsace) if sent.channel == "post" else sent.date
        acted = [
            e.date
            for e in facts.events
            if e.kind in {"identity-requested", "extension", "commission", "answer"}
        ]
        if acted:
            received = max(sent.date, min(received, *acted))
    if facts.right == "medical-record":
        query = DeadlineQuery(
            regime="medical-record",
            received=received,
            alsace_moselle=alsace,
            psychiatric_commission=any(e.kind == "commission" for e in facts.events),
        )
        return compute_deadline(query).due
    asked = next((e.date for e in facts.events if e.kind == "identity-requested"), None)
    given = next((e.date for e in facts.events if e.kind == "identity-answered"), None)
    base = compute_deadline(
        DeadlineQuery(
            regime="gdpr",
            received=received,
            alsace_moselle=alsace,
            identity_requested=asked,
            identity_answered=given,
        )
    )
    extension = next((e.date for e in facts.events if e.kind == "extension"), None)
    if extension is not None and base.due is not None and extension <= base.due:
        return compute_deadline(
            DeadlineQuery(
                regime="gdpr",
                received=received,
                extended=True,
                alsace_moselle=alsace,
                identity_requested=asked,
                identity_answered=given,
            )
        ).due
    return base.due


@settings(max_examples=300, deadline=None)
@given(histories(), st.booleans())
def test_random_histories_never_reach_an_impossible_state(
    history: tuple[str, list[tuple[str, int, str]]], alsace: bool
) -> None:
    right, steps = history
    facts = start(right, D(2025, 1, 6))
    day = D(2025, 1, 6)
    for key, offset, channel in steps:
        day = max(D(2025, 1, 6), day + dt.timedelta(days=offset))
        event = ev(key, day, channel=channel) if key in {"sent", "reminder"} else ev(key, day)
        refusal: Invalid | None = None
        try:
            after = apply(facts, event, TODAY)
        except Invalid as refused:
            refusal = refused
        if refusal is not None:
            assert refusal.errors
            assert all(refusal.errors.values())
            if key not in TABLE[facts.state]:
                assert key not in allowed(facts)
            continue
        assert key in TABLE[facts.state]
        assert after.state in STATES
        if facts.state == "closed":  # pragma: no cover - closed accepts nothing
            pytest.fail("an event was accepted after closing")
        facts = after
        # Stored and replayed, the events give the same facts.
        assert replay(right, facts.events) == facts
        due = due_of(facts, alsace_moselle=alsace)
        if facts.state in {"waiting", "suspended", "incomplete"}:
            assert due.day == independent_due(facts, alsace)
        if facts.state == "reminded":
            legal = independent_due(facts, alsace)
            practical = facts.reminders[-1].date + dt.timedelta(days=15)
            assert due.day == (legal if legal is not None and legal >= practical else practical)
        assert receipt_of(facts) is not None or facts.sent_on is None
        assert next_step(facts, due, day).code
        assert next(event_key(e) for e in facts.events).startswith("letter:")
