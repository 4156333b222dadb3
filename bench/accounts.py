"""Accounts: the cost of Argon2id at Reprise's parameters against OWASP's floor, and the breached-
password list searched in a sorted blob against a Python set (time per look-up, memory).

Run: .venv/bin/python bench/accounts.py
"""

from __future__ import annotations

import gzip
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argon2 import PasswordHasher

from app.accounts import passwords

PASSWORD = "un chat roux dort sous la pluie"


def timed(function, repeat: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> None:
    floor = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
    floor_hash = floor.hash(PASSWORD)
    ours_hash = passwords.hash_password(PASSWORD)
    ours = f"m={passwords.MEMORY_COST_KIB} t={passwords.TIME_COST} p={passwords.PARALLELISM}"
    print("argon2id, median of 7          hash        verify")
    print(
        f"  OWASP floor m=19456 t=2 p=1 {ms(timed(lambda: floor.hash(PASSWORD), 7))}"
        f"  {ms(timed(lambda: floor.verify(floor_hash, PASSWORD), 7))}"
    )
    print(
        f"  Reprise {ours:19s} {ms(timed(lambda: passwords.hash_password(PASSWORD), 7))}"
        f"  {ms(timed(lambda: passwords.verify_password(ours_hash, PASSWORD), 7))}"
    )

    passwords._common.cache_clear()
    tracemalloc.start()
    start = time.perf_counter()
    passwords._common()
    load = time.perf_counter() - start
    blob_memory = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    tracemalloc.start()
    as_set = set(gzip.decompress(passwords.COMMON_LIST.read_bytes()).decode().split("\n"))
    set_memory = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    lines = sorted(as_set)
    probes = [lines[i] for i in range(0, len(lines), max(1, len(lines) // 500))] + [
        f"not in the list {i} at all" for i in range(500)
    ]
    blob_time = timed(lambda: [passwords.is_common(p) for p in probes], 5) / len(probes)
    set_time = timed(lambda: [p in as_set or p.lower() in as_set for p in probes], 5) / len(probes)
    print(f"breached-password list: {len(as_set) - 1} entries, loaded in {load * 1000:.0f} ms")
    print("                         kept in memory   per look-up")
    print(f"  sorted blob (Reprise)  {blob_memory / 1e6:8.1f} MB   {blob_time * 1e6:8.2f} µs")
    print(f"  Python set (baseline)  {set_memory / 1e6:8.1f} MB   {set_time * 1e6:8.2f} µs")


if __name__ == "__main__":
    main()
