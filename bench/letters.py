"""Letter rendering speed and memory, compared with the naive way in the same run.

    .venv/bin/python bench/letters.py [--single N] [--pack N] [--memory N]

Prints: the naive way (a fresh HTML(string=...).write_pdf() per letter with system fonts),
Reprise's single-letter render through its warm workers (median and p99), a pack of letters
as a ZIP of single PDFs and as one tagged PDF to print (letters per second and ratio to the
naive way), the resident memory of one worker over many letters, and whether HarfBuzz
subsetting was used.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _letter_html() -> tuple[str, object, object]:
    from app.catalogue.loader import get_catalogue
    from app.letters.compose import recipient_from_platform
    from app.letters.identity import Identity
    from app.letters.options import ErasureOptions
    from app.letters.render import letter_html
    from app.letters.service import make_letter

    identity = Identity.model_validate(
        {
            "given_name": "Marie",
            "family_name": "Dupont",
            "birth_date": "1980-05-17",
            "email": "marie.dupont@example.org",
            "phone": "+33 6 12 34 56 78",
            "postal_address": {
                "lines": ["12 rue des Lilas"],
                "postal_code": "75011",
                "city": "Paris",
                "country": "FR",
            },
            "identifiers": {"Adresse du compte": "marie.dupont@example.org"},
        }
    )
    platform = get_catalogue().get("doctolib")
    assert platform is not None
    letter = make_letter(
        "erasure", identity, recipient_from_platform(platform), ErasureOptions(), date(2026, 3, 5)
    )
    return letter_html(letter), letter, identity


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def naive(html: str, count: int) -> list[float]:
    """What a first attempt does: a fresh document, system fonts, no reuse."""
    from weasyprint import CSS, HTML

    from app.config import STATIC_DIR

    css = (STATIC_DIR / "css" / "letter.css").read_text(encoding="utf-8")
    css = css.replace('"Atkinson Hyperlegible", "Noto Emoji", "DejaVu Sans Reprise", ', "")
    css = css.replace('"Atkinson Hyperlegible", "DejaVu Sans Reprise", ', "")
    timings = []
    for _index in range(count):
        started = time.perf_counter()
        HTML(string=html).write_pdf(stylesheets=[CSS(string=css)], pdf_tags=True)
        timings.append(time.perf_counter() - started)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive", type=int, default=30, help="naive renders")
    parser.add_argument("--single", type=int, default=200, help="single renders")
    parser.add_argument("--pack", type=int, default=200, help="letters in the pack")
    parser.add_argument("--memory", type=int, default=1000, help="letters for the memory test")
    args = parser.parse_args()

    from app.letters.packs import pack_pdf, pack_zip
    from app.letters.pdf import PdfRenderer
    from app.letters.render import harfbuzz_subsetting
    from app.letters.shared_pool import get_render_pool
    from app.letters.workers import RenderPool

    html, letter, identity = _letter_html()
    subsetting = "yes" if harfbuzz_subsetting() else "NO (fontTools, slower)"
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"cores: {os.cpu_count()}; load average: {load}; HarfBuzz subsetting: {subsetting}")
    print(f"letter: erasure to Doctolib, {len(html)} bytes of HTML, 2 pages")

    naive(html, 2)  # imports and caches, as any process would have them
    timings = naive(html, args.naive)
    naive_median = statistics.median(timings)
    naive_rate = 1 / naive_median
    print(
        f"naive (fresh HTML().write_pdf(), system fonts): median {naive_median * 1000:.1f} ms, "
        f"p99 {_percentile(timings, 0.99) * 1000:.1f} ms, {naive_rate:.1f} letters/s"
    )

    renderer = PdfRenderer()
    renderer.render(html)
    local = []
    for _index in range(30):
        started = time.perf_counter()
        renderer.render(html)
        local.append(time.perf_counter() - started)
    print(
        f"warm renderer in this process (no worker): median "
        f"{statistics.median(local) * 1000:.1f} ms"
    )

    pool = get_render_pool()
    limit = 60.0
    pool.render_many([html] * pool.size, limit)  # start and warm every worker
    single = []
    for _index in range(args.single):
        started = time.perf_counter()
        pool.render(html, limit)
        single.append(time.perf_counter() - started)
    single_median = statistics.median(single)
    print(
        f"Reprise single letter (warm worker, {args.single} renders): median "
        f"{single_median * 1000:.1f} ms, p99 {_percentile(single, 0.99) * 1000:.1f} ms, "
        f"{1 / single_median:.1f} letters/s, x{naive_median / single_median:.2f} vs naive"
    )

    letters = [letter] * args.pack
    started = time.perf_counter()
    pack_zip(letters)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    rate = args.pack / elapsed
    print(
        f"pack of {args.pack} as a ZIP of single PDFs ({pool.size} workers): {elapsed:.2f} s, "
        f"{rate:.1f} letters/s, x{rate / naive_rate:.2f} vs naive"
    )
    started = time.perf_counter()
    pack_pdf(letters, identity)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    rate = args.pack / elapsed
    print(
        f"pack of {args.pack} as one tagged PDF to print (+ checklist page, merge): "
        f"{elapsed:.2f} s, {rate:.1f} letters/s, x{rate / naive_rate:.2f} vs naive"
    )

    one = RenderPool(1, max_jobs=10**9)
    one.render(html, limit)
    (pid,) = one.worker_pids()
    readings = [(0, _rss_mib(pid))]
    step = max(1, args.memory // 4)
    for done in range(1, args.memory + 1):
        one.render(html, limit)
        if done % step == 0:
            readings.append((done, _rss_mib(pid)))
    one.close()
    shown = ", ".join(f"{done}: {rss:.1f}" for done, rss in readings)
    growth = readings[-1][1] - readings[1][1]
    print(f"worker RSS in MiB after N letters (no recycling): {shown}")
    print(f"worker RSS growth from letter {step} to letter {args.memory}: {growth:+.1f} MiB")
    pool.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
