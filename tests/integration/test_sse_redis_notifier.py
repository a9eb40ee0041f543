"""The Redis notifier on a private redis-server: fan-out, local fallback, and resync after a reconnect."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from pullit_adapters.notifier_redis import BrokerUnavailable, RedisNotifier
from pullit_domain.model.notification import MemberEvent
from tests.support.live_server import ThrowawayRedis


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[ThrowawayRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    with ThrowawayRedis(tmp_path) as server:
        yield server


@pytest.fixture
async def instances(redis_server: ThrowawayRedis) -> AsyncIterator[tuple[RedisNotifier, RedisNotifier]]:
    first, second = RedisNotifier(redis_server.url, "t"), RedisNotifier(redis_server.url, "t")
    await first.start()
    await second.start()
    try:
        async with asyncio.timeout(10):
            await first.subscribed.wait()
            await second.subscribed.wait()
        yield first, second
    finally:
        await first.stop()
        await second.stop()


def event(member_id: int, event_id: int) -> MemberEvent:
    return MemberEvent(member_id, event_id, "questionSetCreationComplete", '{"success":true}')


async def test_an_event_published_on_one_instance_reaches_subscribers_on_both(
    instances: tuple[RedisNotifier, RedisNotifier],
) -> None:
    first, second = instances
    here, there, stranger = second.subscribe(7), first.subscribe(7), first.subscribe(8)
    await second.publish(event(7, 1))
    await second.publish(event(8, 1))
    async with asyncio.timeout(5):
        assert [await anext(here), await anext(there), await anext(stranger)] == [
            event(7, 1),
            event(7, 1),
            event(8, 1),
        ]
    for subscription in (here, there, stranger):
        await subscription.aclose()
    assert first.subscriber_count == second.subscriber_count == 0


async def test_without_redis_publishing_fails_but_local_listeners_still_hear_it(
    instances: tuple[RedisNotifier, RedisNotifier], redis_server: ThrowawayRedis
) -> None:
    first, second = instances
    local, remote = second.subscribe(7), first.subscribe(7)
    redis_server.stop()

    with pytest.raises(BrokerUnavailable):
        await second.publish_batch([event(7, 1), event(7, 2)])
    async with asyncio.timeout(5):
        assert [await anext(local), await anext(local)] == [event(7, 1), event(7, 2)]

        # Once Redis is back, the other instance ends its listeners' subscriptions so they
        # re-read the log: what Redis never carried is not lost.
        redis_server.start()
        with pytest.raises(StopAsyncIteration):
            await anext(remote)
        await first.subscribed.wait()
        await second.subscribed.wait()
    again = first.subscribe(7)
    await second.publish(event(7, 3))
    async with asyncio.timeout(5):
        assert await anext(again) == event(7, 3)
    await again.aclose()
