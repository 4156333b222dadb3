"""When a request reached its holder, estimated from its sending when no receipt is known.

A practical choice of Reprise, not a rule of law, shared by tracking and by the follow-up
letters so that both count from the same day: the same day by email or web form, three working
days by post (or when the channel is not known), and never after a day the holder acted on the
request (it had the request by then). The estimate can only make a due date later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from app.deadlines.calendar import is_working_day

POST_WORKING_DAYS = 3


def add_working_days(day: dt.date, count: int, alsace_moselle: bool = False) -> dt.date:
    """The `count`-th working day after `day`."""
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, alsace_moselle):
            count -= 1
    return day


def estimated_receipt(
    sent_on: dt.date,
    channel: str | None,
    alsace_moselle: bool = False,
    acted: Iterable[dt.date] = (),
) -> dt.date:
    """The day the holder is taken to have received a request sent on `sent_on`."""
    if channel in {"email", "web-form"}:
        estimate = sent_on
    else:
        estimate = add_working_days(sent_on, POST_WORKING_DAYS, alsace_moselle)
    acted_days = list(acted)
    if acted_days:
        estimate = max(sent_on, min(estimate, *acted_days))
    return estimate
