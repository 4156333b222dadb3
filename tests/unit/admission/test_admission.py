"""Requests take a database turn in arrival order, a few at a time, and give it back once, from
any thread (app.admission)."""

from __future__ import annotations

import asyncio

import pytest

from app import admission
from app.admission import Slots, slots, step_aside, take_slot


def test_a_request_past_the_slots_waits_for_one_given_back_in_arrival_order() -> None:
    async def scenario() -> list[str]:
        pool = Slots(2, asyncio.get_running_loop())
        order: list[str] = []
        first, second = await pool.take(), await pool.take()

        async def later(name: str) -> None:
            slot = await pool.take()
            order.append(name)
            slot.give_back()

        waiting = [asyncio.create_task(later(name)) for name in ("third", "fourth")]
        await asyncio.sleep(0.01)
        assert order == []  # both wait: every slot is held
        assert pool.free == 0
        first.give_back()
        first.give_back()  # once only: a second give-back frees nothing more
        await asyncio.gather(*waiting)
        assert pool.free == 1  # the second request still holds its slot
        second.give_back()
        assert pool.free == 2
        return order

    assert asyncio.run(scenario()) == ["third", "fourth"]


def test_a_slot_given_back_from_a_worker_thread_frees_the_next_request() -> None:
    async def scenario() -> bool:
        pool = Slots(1, asyncio.get_running_loop())
        held = await pool.take()
        waiting = asyncio.create_task(pool.take())
        await asyncio.sleep(0.01)
        assert not waiting.done()
        await asyncio.to_thread(held.give_back)
        slot = await asyncio.wait_for(waiting, 5)
        slot.give_back()
        return pool.free == 1

    assert asyncio.run(scenario())


def test_step_aside_gives_the_requests_slot_back_from_its_thread_and_does_nothing_elsewhere() -> (
    None
):
    step_aside()  # outside a request: nothing to give back, no error

    async def scenario() -> tuple[int, int]:
        await take_slot()
        pool = slots()
        held = pool.free
        # The request's worker thread sees its slot (the context is copied into the thread).
        await asyncio.to_thread(step_aside)
        await asyncio.sleep(0)
        return held, pool.free

    held, after = asyncio.run(scenario())
    assert after == held + 1


def test_each_event_loop_has_slots_of_its_own_sized_by_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(admission, "slot_count", lambda: 3)

    async def sizes() -> tuple[int, bool]:
        return slots().size, slots() is slots()

    assert asyncio.run(sizes()) == (3, True)
    assert asyncio.run(sizes()) == (3, True)


def test_without_the_setting_a_process_has_two_slots_per_core(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.config import get_settings

    monkeypatch.setenv("REPRISE_REQUEST_SLOTS", "0")
    monkeypatch.setattr(admission.os, "cpu_count", lambda: 3)
    get_settings.cache_clear()
    try:
        assert admission.slot_count() == 6
        monkeypatch.setenv("REPRISE_REQUEST_SLOTS", "5")
        get_settings.cache_clear()
        assert admission.slot_count() == 5
    finally:
        get_settings.cache_clear()


def test_no_thread_is_left_holding_a_slot_after_a_burst() -> None:
    async def scenario() -> int:
        pool = Slots(2, asyncio.get_running_loop())

        async def request() -> None:
            slot = await pool.take()
            await asyncio.to_thread(slot.give_back)

        await asyncio.gather(*(request() for _ in range(50)))
        await asyncio.sleep(0.01)
        return pool.free

    assert asyncio.run(scenario()) == 2
