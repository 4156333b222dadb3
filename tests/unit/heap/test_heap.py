"""app.heap.give_back: memory a big piece of work freed goes back to the system, so that a web
worker that made packs does not stay the bigger for it. Run in a process of its own, whose
memory nothing else touches."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.paths import PROJECT_ROOT

SCRIPT = """
import json, re
from app.heap import give_back

def rss_mib():
    status = open("/proc/self/status").read()
    return int(re.search(r"VmRSS:\\s+(\\d+)", status).group(1)) / 1024

start = rss_mib()
pages = [bytearray(3000) for _ in range(20000)]  # 60 MB in pieces malloc keeps for itself
for page in pages:
    page[::512] = b"x" * len(page[::512])  # touched, so resident
grown = rss_mib()
del pages
kept = rss_mib()
given = give_back()
print(json.dumps({"start": start, "grown": grown, "kept": kept, "given": given,
                  "after": rss_mib()}))
"""


def test_memory_freed_by_a_big_piece_of_work_goes_back_to_the_system() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    figures = json.loads(done.stdout)
    assert figures["grown"] - figures["start"] > 50
    # Freed, but still held by the process until it is given back.
    assert figures["kept"] - figures["start"] > 40
    assert figures["given"] is True
    assert figures["after"] - figures["start"] < 10
