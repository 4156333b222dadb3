"""Sign-up and password reset, for an address that has an account and for one that has not:
the median time of each path side by side (issue 10 item 5: they must not tell the two apart).

python bench/enumeration.py [--repeat N]   (a scratch SQLite database; emails to a list)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("REPRISE_VAR_DIR", tempfile.mkdtemp(prefix="reprise-bench-"))

from sqlmodel import Session

from app.accounts import users
from app.db import make_engine
from app.migrate import upgrade
from app.notifications.mailer import use_mailer

PASSWORD = "un chat roux dort sous la pluie"


class Outbox:
    def __init__(self) -> None:
        self.sent = 0

    def send(self, message: Any) -> None:
        self.sent += 1


def median_ms(db: Session, action: Callable[[int], None], repeat: int) -> float:
    samples = []
    for attempt in range(repeat):
        start = time.perf_counter()
        action(attempt)
        samples.append(time.perf_counter() - start)
        db.rollback()
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    repeat = parser.parse_args().repeat
    use_mailer(Outbox())
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'enumeration.db'}"
        upgrade("head", url)
        engine = make_engine(url)
        with Session(engine) as db:
            users.sign_up(db, "connue@example.org", PASSWORD, "198.51.100.1")
            db.commit()
            print(f"median of {repeat}          known address   new address")
            known = median_ms(
                db,
                lambda n: users.sign_up(db, "connue@example.org", PASSWORD, f"192.0.2.{n}"),
                repeat,
            )
            new = median_ms(
                db,
                lambda n: users.sign_up(db, f"nouvelle{n}@example.org", PASSWORD, f"192.0.2.{n}"),
                repeat,
            )
            print(f"  sign-up              {known:10.1f} ms  {new:10.1f} ms")
            known = median_ms(
                db,
                lambda n: users.request_reset(db, "connue@example.org", f"192.0.2.{n}"),
                repeat,
            )
            new = median_ms(
                db,
                lambda n: users.request_reset(db, f"nouvelle{n}@example.org", f"192.0.2.{n}"),
                repeat,
            )
            print(f"  password reset       {known:10.1f} ms  {new:10.1f} ms")
        engine.dispose()
    use_mailer(None)


if __name__ == "__main__":
    main()
