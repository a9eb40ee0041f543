"""The member event stream on in-memory fakes: order, once-only delivery, and catching up from the log."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from pullit_adapters.memory import InMemoryDatabase, ManualClock
from pullit_adapters.notifier_local import InProcessNotifier
from pullit_adapters.outbox import OutboxRelay
from pullit_domain.model.member import Member
from pullit_domain.model.notification import MemberEvent, QuestionSetCompletion
from pullit_domain.use_cases.notifications import (
    Handshake,
    Heartbeat,
    OpenMemberEventStream,
    Reconnected,
    RecordNotification,
    StreamItem,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)


class World:
    def __init__(self) -> None:
        self.db = InMemoryDatabase()
        self.notifier = InProcessNotifier()
        self.open = OpenMemberEventStream(self.db.unit_of_work, self.notifier, heartbeat_seconds=30)

    async def member(self) -> int:
        unique = uuid.uuid4().hex
        member = Member("L", f"{unique}@x.test", "test", unique, NOW)
        async with self.db.unit_of_work() as uow:
            await uow.members.add(member)
            await uow.commit()
        assert member.id is not None
        return member.id

    async def record(self, member_id: int, question_set_id: int) -> MemberEvent:
        """Committed but not published: only the log knows about it."""
        async with self.db.unit_of_work() as uow:
            event = await RecordNotification(ManualClock(NOW))(
                uow, member_id, QuestionSetCompletion.complete(question_set_id)
            )
            await uow.commit()
        return event


async def take(items: AsyncIterator[StreamItem], count: int) -> list[StreamItem]:
    async with asyncio.timeout(5):
        return [await anext(items) for _ in range(count)]


def ids(items: list[StreamItem]) -> list[int]:
    return [item.id for item in items if isinstance(item, MemberEvent)]


async def test_live_events_arrive_once_in_order_even_when_published_twice() -> None:
    world = World()
    member = await world.member()
    stream = await world.open(member, None)
    items = stream.items()
    assert await take(items, 1) == [Handshake(0)]

    first, second = await world.record(member, 1), await world.record(member, 2)
    for event in (first, first, second, first, second):
        await world.notifier.publish(event)
    third = await world.record(member, 3)
    await world.notifier.publish(third)

    assert ids(await take(items, 3)) == [1, 2, 3]
    await stream.aclose()
    assert world.notifier.subscriber_count == 0


async def test_a_live_event_that_skips_ids_brings_the_missing_ones_from_the_log() -> None:
    world = World()
    member = await world.member()
    items = (await world.open(member, None)).items()
    await take(items, 1)

    await world.record(member, 1)
    await world.record(member, 2)
    third = await world.record(member, 3)
    await world.notifier.publish(third)  # 1 and 2 were never published

    assert ids(await take(items, 3)) == [1, 2, 3]


async def test_an_ended_subscription_is_renewed_and_the_gap_read_from_the_log() -> None:
    world = World()
    member = await world.member()
    items = (await world.open(member, None)).items()
    await take(items, 1)

    await world.record(member, 1)  # published to nobody: say the broker was away
    world.notifier.reset()
    assert ids(await take(items, 1)) == [1]
    assert world.notifier.subscriber_count == 1


async def test_a_reconnect_replays_after_the_given_id_and_a_fresh_stream_does_not() -> None:
    world = World()
    member = await world.member()
    for question_set_id in (1, 2, 3):
        await world.record(member, question_set_id)

    resumed = (await world.open(member, 1)).items()
    fresh = (await world.open(member, None)).items()

    assert await take(resumed, 4) == [Handshake(1), Reconnected(1), *(await _log(world, member, 1))]
    assert await take(fresh, 1) == [Handshake(3)]
    await world.notifier.publish(await world.record(member, 4))
    assert ids(await take(fresh, 1)) == [4]
    assert ids(await take(resumed, 1)) == [4]


async def test_a_quiet_stream_yields_heartbeats() -> None:
    world = World()
    member = await world.member()
    opener = OpenMemberEventStream(world.db.unit_of_work, world.notifier, heartbeat_seconds=0.01)
    items = (await opener(member, None)).items()
    assert await take(items, 3) == [Handshake(0), Heartbeat(), Heartbeat()]


async def test_the_relay_publishes_committed_events_once_and_keeps_them_when_publishing_fails() -> None:
    world = World()
    member = await world.member()

    class Flaky:
        def __init__(self) -> None:
            self.working = False
            self.published: list[int] = []

        async def publish_batch(self, events: list[MemberEvent]) -> None:
            if not self.working:
                raise ConnectionError("broker away")
            self.published.extend(e.id for e in events)

    publisher = Flaky()
    relay = OutboxRelay(world.db.unit_of_work, publisher, ManualClock(NOW))
    await world.record(member, 1)
    await world.record(member, 2)

    with pytest.raises(ConnectionError):
        await relay.relay_once()
    publisher.working = True
    assert await relay.relay_once() == 2
    assert await relay.relay_once() == 0
    assert publisher.published == [1, 2]


async def _log(world: World, member: int, after: int) -> list[MemberEvent]:
    async with world.db.unit_of_work() as uow:
        return await uow.notifications.after(member, after)


async def test_a_disconnect_mid_wait_releases_the_subscription() -> None:
    world = World()
    member = await world.member()
    stream = await world.open(member, None)
    assert world.notifier.subscriber_count == 1
    handshake_sent = asyncio.Event()

    async def consume() -> None:
        async for _ in stream.items():
            handshake_sent.set()

    reader = asyncio.create_task(consume())
    async with asyncio.timeout(5):
        await handshake_sent.wait()
    reader.cancel()  # what the server does when the client goes away
    with pytest.raises(asyncio.CancelledError):
        await reader
    assert world.notifier.subscriber_count == 0
