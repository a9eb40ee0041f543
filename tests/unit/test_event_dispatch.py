"""The dispatcher routes each committed event to the loops that subscribed to its type, and a
loop it wakes runs a round at once instead of waiting for its poll interval."""

from __future__ import annotations

import asyncio

from pullit_domain.events import NotificationRecorded, QuestionSetRequested, SourceUploaded
from pullit_web.runtime.events import EventDispatcher
from pullit_web.runtime.loop import DurableLoop, woken_by


def test_each_event_reaches_only_the_handlers_of_its_type_and_a_failing_handler_stops_none() -> None:
    dispatch = EventDispatcher()
    requested: list[object] = []
    uploaded: list[object] = []

    def broken(_: object) -> None:
        raise RuntimeError("a handler bug")

    dispatch.subscribe(QuestionSetRequested, broken)
    dispatch.subscribe(QuestionSetRequested, requested.append)
    unsubscribe = dispatch.subscribe(SourceUploaded, uploaded.append)

    dispatch([QuestionSetRequested(1), SourceUploaded(2), NotificationRecorded(3), QuestionSetRequested(4)])
    assert requested == [QuestionSetRequested(1), QuestionSetRequested(4)]
    assert uploaded == [SourceUploaded(2)]

    unsubscribe()
    dispatch([SourceUploaded(5)])
    assert uploaded == [SourceUploaded(2)]


async def test_a_committed_event_wakes_its_loop_long_before_the_poll_interval() -> None:
    rounds: asyncio.Queue[int] = asyncio.Queue()
    count = 0

    async def round_() -> bool:
        nonlocal count
        count += 1
        rounds.put_nowait(count)
        return False

    dispatch = EventDispatcher()
    loop = DurableLoop("test", round_, interval=3600)
    resource = woken_by(loop, dispatch, SourceUploaded)
    await anext(resource)
    try:
        assert await asyncio.wait_for(rounds.get(), 5) == 1  # the round at start
        dispatch([QuestionSetRequested(1)])  # not this loop's event
        dispatch([SourceUploaded(7)])
        assert await asyncio.wait_for(rounds.get(), 5) == 2
        assert rounds.empty()
    finally:
        await resource.aclose()


async def test_a_failing_round_is_retried_with_back_off_and_the_loop_survives() -> None:
    outcomes = [RuntimeError("database restarting"), RuntimeError("still restarting"), True, False]
    done = asyncio.Event()

    async def round_() -> bool:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        if not outcomes:
            done.set()
        return outcome

    loop = DurableLoop("flaky", round_, interval=3600)
    loop.start()
    try:
        await asyncio.wait_for(done.wait(), 5)  # two failures, then a busy round, then an idle one
    finally:
        await loop.stop()
    assert outcomes == []
