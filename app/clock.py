"""The time where the law counts it (Europe/Paris), from one source that tests can set.

Every part of Reprise asks this module for "now" and "today", never `datetime.now()` itself, so a
test can place the whole service, its background runner included, at a chosen moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


class _Setting:
    """How far this process's clock is set from the real one (zero outside tests)."""

    offset = timedelta(0)


_SET = _Setting()


def now() -> datetime:
    """The current moment, aware, in UTC."""
    return datetime.now(UTC) + _SET.offset


def today() -> date:
    """The current date in Paris, which dates letters and starts deadlines."""
    return now().astimezone(PARIS).date()


def set_now(moment: datetime) -> None:
    """Set the clock to read `moment` now and to run on from it (tests and benchmarks only)."""
    if moment.tzinfo is None:
        raise ValueError("the clock is set with an aware datetime")
    _SET.offset = moment - datetime.now(UTC)


def reset() -> None:
    """Back to the real time."""
    _SET.offset = timedelta(0)


@contextmanager
def running_from(moment: datetime) -> Iterator[None]:
    """Within the block, the clock reads `moment` and runs on from it; then it is as it was."""
    saved = _SET.offset
    set_now(moment)
    try:
        yield
    finally:
        _SET.offset = saved
