"""Sign-up, password reset and sign-in link, for an address that has an account and for one
that has not: the median time of each path side by side (issue 10 item 5: they must not tell
the two apart). "answer" is what the person waits for; "after answer" is the work (hash,
token, email) the site does once the answer has gone out.

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

from app.accounts import sign_in_links, users
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
            known_address = "connue@example.org"
            print(f"median of {repeat}                        known address   new address")
            forms: list[tuple[str, Callable[..., Any], Callable[..., None]]] = [
                (
                    "sign-up",
                    lambda email, n: users.request_sign_up(db, email, PASSWORD, f"192.0.2.{n}"),
                    users.finish_sign_up,
                ),
                (
                    "password reset",
                    lambda email, n: users.request_reset(db, email, f"192.0.2.{n}"),
                    users.finish_reset,
                ),
                (
                    "sign-in link",
                    lambda email, n: sign_in_links.request_sign_in_link(db, email, f"192.0.2.{n}"),
                    sign_in_links.finish_sign_in_link,
                ),
            ]
            for name, accept, finish in forms:
                # What the person waits for: the answer is sent once the form is accepted.
                known = median_ms(db, lambda n, a=accept: a(known_address, n), repeat)
                new = median_ms(db, lambda n, a=accept: a(f"nouvelle{n}@example.org", n), repeat)
                print(f"  {name:15} answer          {known:10.1f} ms  {new:10.1f} ms")
                # The work done after the answer (hash, token, email), for comparison.
                known = median_ms(
                    db, lambda n, a=accept, f=finish: f(db, a(known_address, n)), repeat
                )
                new = median_ms(
                    db,
                    lambda n, a=accept, f=finish: f(db, a(f"nouvelle{n}@example.org", n)),
                    repeat,
                )
                print(f"  {name:15} after answer    {known:10.1f} ms  {new:10.1f} ms")
        engine.dispose()
    use_mailer(None)


if __name__ == "__main__":
    main()
