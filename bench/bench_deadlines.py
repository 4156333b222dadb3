"""Deadline computation speed, against plain date arithmetic as the baseline.

python bench/bench_deadlines.py
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.deadlines.calendar import add_months
from app.deadlines.rules import gdpr_deadline, medical_record_deadline

START = date(2026, 1, 1)
DAYS = [START + timedelta(days=n) for n in range(3650)]


def per_call(label: str, work: object, repeat: int = 3) -> float:
    assert callable(work)
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        for day in DAYS:
            work(day)
        best = min(best, time.perf_counter() - began)
    micro = best / len(DAYS) * 1e6
    print(f"{label:<46} {micro:8.2f} µs per call")
    return micro


def main() -> None:
    print(f"{len(DAYS)} receipt dates, best of 3")
    base = per_call("baseline: add_months only", lambda day: add_months(day, 1))
    gdpr = per_call("gdpr_deadline", gdpr_deadline)
    per_call(
        "gdpr_deadline, extended, Alsace-Moselle",
        lambda day: gdpr_deadline(day, extended=True, alsace_moselle=True),
    )
    per_call("medical_record_deadline", medical_record_deadline)
    print(f"gdpr_deadline / baseline: {gdpr / base:.1f}x")


if __name__ == "__main__":
    main()
