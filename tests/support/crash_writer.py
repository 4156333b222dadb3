"""A writer to kill: forks children that commit numbered rows through the project's engine.

Reads `run START` lines on stdin. For each, forks a child that commits rows START, START+1, ...
(each with a random payload, and the counter row updated in the same transaction), writing
`ack N` on stdout once the commit of row N has returned. Writes `pid P` after the fork and
`dead P` once the child has died. Forking from this small process keeps each round cheap.
"""

from __future__ import annotations

import os
import random
import sys
import traceback

from sqlalchemy import text

from app.db import make_engine


def write_until_killed(url: str, start: int) -> None:
    engine = make_engine(url)
    rng = random.Random(start)
    with engine.connect() as connection:
        # Frequent checkpoints, so that kills also land in the middle of one.
        connection.exec_driver_sql("PRAGMA wal_autocheckpoint=20")
        connection.commit()
        number = start
        while True:
            with connection.begin():
                connection.execute(
                    text("INSERT INTO probe (id, payload) VALUES (:id, :payload)"),
                    {"id": number, "payload": rng.randbytes(rng.randrange(16, 12_000))},
                )
                connection.execute(text("UPDATE probe_counter SET last = :id"), {"id": number})
            os.write(1, f"ack {number}\n".encode())
            number += 1


def main() -> None:
    url = sys.argv[1]
    for line in sys.stdin:
        start = int(line.split()[1])
        pid = os.fork()
        if pid == 0:
            try:
                write_until_killed(url, start)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(70)
        os.write(1, f"pid {pid}\n".encode())
        os.waitpid(pid, 0)
        os.write(1, f"dead {pid}\n".encode())


if __name__ == "__main__":
    main()
