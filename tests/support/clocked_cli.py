"""`reprise` in a child process, on the clock of the test that started it.

tests/support/commands.py runs this module instead of `app.cli`, with TEST_CLOCK_NOW set to the
test's "now", so a command reads the same date and hour as the test that checks its work.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

from app import clock
from app.cli import main

if __name__ == "__main__":
    moment = os.environ.get("TEST_CLOCK_NOW")
    if moment:
        clock.set_now(dt.datetime.fromisoformat(moment))
    sys.exit(main())
