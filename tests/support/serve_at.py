"""`python -m tests.support.serve_at NOW_ISO PORT`: `reprise serve` (one worker) with the clock
set to NOW, for the tests that start real instances (the app reads the time only from app.clock)."""

from __future__ import annotations

import datetime as dt
import sys

from app import clock
from app.logs import configure_logging
from app.server import serve


def main() -> None:
    clock.set_now(dt.datetime.fromisoformat(sys.argv[1]))
    configure_logging("INFO")
    serve("127.0.0.1", int(sys.argv[2]), 1)


if __name__ == "__main__":
    main()
