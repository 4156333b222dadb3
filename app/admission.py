"""Requests reach the database a few at a time in each web process.

A web process runs each request's database work in a worker thread. Under load, with some 25
requests in flight in one process, those threads spent their time waiting for each other (the
interpreter lock, the pool's connections): a signed-in page that costs 2 ms alone was answered at
about 540 a second by two processes, with a p99 of 200 to 400 ms at 50 clients. Letting only a
few requests at a time open their database session, the others waiting their turn in arrival
order on the event loop, gave 950 to 1,070 a second and a p99 of 80 to 90 ms
(bench/load.py; issue 15).

A request takes a slot before its database session opens (app.db; a visitor reading a page
with no cookie and no token takes none) and gives it back when the session ends, or earlier,
when it starts waiting on something slow that is not the database (a letter render, an email, a
look-up on another server): `step_aside()`, so that slow work never holds back the pages behind
it. It also bounds the requests that hold a pooled connection while waiting for a worker
thread, which could otherwise take every thread and every connection at once.
"""

from __future__ import annotations

import asyncio
import os
import threading
from contextvars import ContextVar
from weakref import WeakKeyDictionary

from app.config import get_settings


def default_slots(cores: int, processes: int = 1) -> int:
    """Two slots per core, divided among the web processes of the machine; never fewer than two
    in a process."""
    return max(2, 2 * cores // max(1, processes))


def slot_count() -> int:
    """REPRISE_REQUEST_SLOTS (`reprise serve` sets each web process's share), or the default
    for a process alone on the machine."""
    return get_settings().request_slots or default_slots(os.cpu_count() or 1)


class Slot:
    """One request's turn; given back once, from any thread."""

    def __init__(self, slots: Slots) -> None:
        self._slots = slots
        self._lock = threading.Lock()
        self._held = True

    def give_back(self) -> None:
        with self._lock:
            if not self._held:
                return
            self._held = False
        self._slots.release()


class Slots:
    """The slots of one event loop, taken in arrival order."""

    def __init__(self, size: int, loop: asyncio.AbstractEventLoop) -> None:
        self.size = size
        self._loop = loop
        self._semaphore = asyncio.Semaphore(size)

    @property
    def free(self) -> int:
        return self._semaphore._value

    async def take(self) -> Slot:
        await self._semaphore.acquire()
        return Slot(self)

    def release(self) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._semaphore.release()
        elif not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._semaphore.release)


_BY_LOOP: WeakKeyDictionary[asyncio.AbstractEventLoop, Slots] = WeakKeyDictionary()
_CURRENT: ContextVar[Slot | None] = ContextVar("reprise_request_slot", default=None)


def slots() -> Slots:
    """The slots of the running event loop (each test client runs a loop of its own)."""
    loop = asyncio.get_running_loop()
    found = _BY_LOOP.get(loop)
    if found is None:
        found = _BY_LOOP[loop] = Slots(slot_count(), loop)
    return found


async def take_slot() -> Slot:
    """Wait for a slot; the request's worker threads see it (`step_aside`)."""
    slot = await slots().take()
    _CURRENT.set(slot)
    return slot


def step_aside() -> None:
    """Give the current request's slot back before a long wait that is not the database; the
    request goes on without one. Does nothing outside a request."""
    slot = _CURRENT.get()
    if slot is not None:
        slot.give_back()
