"""Memory in long-lived processes: short full passes of the garbage collector, and freed memory
given back.

A web worker holds some 150,000 objects once it has started (the catalogue, the routes, the
templates, the translations), and a render worker holds WeasyPrint's fonts and styles. None of
them is ever garbage, yet Python's full collection walks every one of them: about 50 ms in which
the process answers nothing, every few hundred requests; seen as a p99 of 100 ms on pages that
take 1 ms. `settle()` moves what exists at that moment out of the collector's sight
(gc.freeze); what a request creates afterwards is collected as before.
"""

from __future__ import annotations

import ctypes
import gc
from functools import lru_cache
from typing import Any


def settle() -> None:
    """Leave every object that exists now out of later collections: call it when a process has
    loaded what it keeps for its whole life. There is no collection first: at that point a
    collection finds some ten objects of garbage, and it cost a web worker starting beside
    another one 70 ms of CPU and up to half a second before its first answer."""
    gc.freeze()


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return None


def give_back() -> bool:
    """Hand the memory a big piece of work freed back to the system (glibc keeps it otherwise:
    a web worker stayed 35 MiB bigger after making packs); returns whether any was."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
