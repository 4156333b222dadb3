"""A runner to start (and kill): `python -m tests.support.reminder_runner DATABASE_URL NOW_ISO`.

Runs the reminder jobs due at NOW once, through the project's own runner, and sends the emails
to REPRISE_SMTP_URL. Used by tests/unit/proceedings/test_reminders.py to run two runners at once
and to kill one in the middle of a job.
"""

from __future__ import annotations

import datetime as dt
import sys

import app.proceedings.reminders  # noqa: F401  (registers the reminder kind)
from app.db import make_engine
from app.jobs.runner import run_due


def main() -> None:
    engine = make_engine(sys.argv[1])
    report = run_due(engine, dt.datetime.fromisoformat(sys.argv[2]))
    print(f"done {sum(report.done.values())} failed {report.failed}", flush=True)
    engine.dispose()


if __name__ == "__main__":
    main()
