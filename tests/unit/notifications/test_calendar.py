"""iCalendar files (RFC 5545): CRLF line ends, lines folded at 75 octets without splitting a
character, TEXT escaped, UID, DTSTAMP and all-day DTSTART;VALUE=DATE; checked by parsing them
back with an independent parser (icalendar), and by Hypothesis for escaping and folding."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from app.notifications.calendar import CalendarEvent, calendar, escape_text, fold

STAMP = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def unfold(data: bytes) -> list[str]:
    return data.decode().replace("\r\n ", "").split("\r\n")


def test_a_calendar_parses_back_with_every_required_property() -> None:
    events = [
        CalendarEvent(
            uid="echeance-1@reprise",
            day=dt.date(2026, 4, 7),
            summary="Reprise : date limite d'une démarche, (estimée); à voir",
            description="Ligne 1\nLigne 2 \\ fin",
            url="http://127.0.0.1:8000/suivi/1",
        )
    ]
    data = calendar(events, STAMP, "Reprise : mes démarches")
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line.encode()) <= 75 for line in data.decode().split("\r\n"))
    parsed = Calendar.from_ical(data)
    assert str(parsed["VERSION"]) == "2.0"
    assert str(parsed["PRODID"])
    (event,) = list(parsed.walk("VEVENT"))
    assert str(event["UID"]) == "echeance-1@reprise"
    assert event["DTSTAMP"].dt == STAMP
    assert event["DTSTART"].dt == dt.date(2026, 4, 7)
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert event["DTEND"].dt == dt.date(2026, 4, 8)
    assert str(event["SUMMARY"]) == "Reprise : date limite d'une démarche, (estimée); à voir"
    assert str(event["DESCRIPTION"]) == "Ligne 1\nLigne 2 \\ fin"
    assert "DTSTART;VALUE=DATE:20260407" in unfold(data)


def test_escaping_of_text_values() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("a\r\nb") == "a\\nb"


def test_folding_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
        | st.sampled_from([",", ";", "\\", "\n", ":", '"', "é", "€", "😀"]),
        min_size=1,
        max_size=300,
    )
)
def test_any_text_comes_back_as_it_went_in(text: str) -> None:
    data = calendar(
        [CalendarEvent(uid="u@reprise", day=dt.date(2026, 1, 1), summary=text, description=text)],
        STAMP,
    )
    assert all(len(line.encode()) <= 75 for line in data.decode().split("\r\n"))
    (event,) = list(Calendar.from_ical(data).walk("VEVENT"))
    assert str(event["SUMMARY"]) == text
    assert str(event["DESCRIPTION"]) == text
