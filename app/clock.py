"""Today's date where the law counts it: in France (Europe/Paris)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def today() -> date:
    """The current date in Paris, which dates letters and starts deadlines."""
    return datetime.now(PARIS).date()
