"""Fan-out of member events across instances through one Redis pub/sub channel.

Each instance holds a single subscriber connection and hands what arrives to its own
in-process subscribers, so SSE clients never cost a Redis connection each. Redis keeps
nothing for a subscriber that was away, so whenever the subscription (re)starts every
local listener is told to catch up from the durable log; and when publishing fails the
events still reach this instance's listeners while the relay keeps them for a retry.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import suppress

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from pullit_adapters.notifier_local import InProcessNotifier
from pullit_domain.model.notification import MemberEvent
from pullit_domain.ports.notifier import Subscription

log = logging.getLogger("pullit.notifier")


class BrokerUnavailable(Exception):
    """Redis did not take the events; they went to local listeners only."""


def encode(event: MemberEvent) -> str:
    return json.dumps({"m": event.member_id, "i": event.id, "n": event.name, "d": event.data}, ensure_ascii=False)


def decode(message: str | bytes) -> MemberEvent:
    fields = json.loads(message)
    return MemberEvent(member_id=int(fields["m"]), id=int(fields["i"]), name=str(fields["n"]), data=str(fields["d"]))


class RedisNotifier:
    def __init__(
        self,
        url: str,
        channel: str = "pullit:notifications",
        *,
        ping_seconds: float = 5.0,
        max_backoff_seconds: float = 5.0,
    ) -> None:
        # No client-side retries: the outbox relay retries, and a publish must fail fast.
        self._redis: Redis = Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=5, retry=Retry(NoBackoff(), 0), decode_responses=True
        )
        self._channel = channel
        self._local = InProcessNotifier()
        self._ping_seconds = ping_seconds
        self._max_backoff = max_backoff_seconds
        self._listener: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()

    @property
    def subscriber_count(self) -> int:
        return self._local.subscriber_count

    async def start(self) -> None:
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="pullit-redis-subscriber")

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        await self._redis.aclose()

    async def ping(self) -> None:
        await self._redis.ping()

    def subscribe(self, member_id: int) -> Subscription:
        return self._local.subscribe(member_id)

    async def publish(self, event: MemberEvent) -> None:
        await self.publish_batch([event])

    async def publish_batch(self, events: Sequence[MemberEvent]) -> None:
        """Publish in order; on failure deliver locally and raise, leaving the retry to the caller.

        A broken pipeline may have sent a prefix of ``events``: listeners drop repeats by id.
        """
        if not events:
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for event in events:
                    pipe.publish(self._channel, encode(event))
                await pipe.execute()
        except (RedisError, OSError) as error:
            await self._local.publish_batch(events)
            raise BrokerUnavailable(f"Redis refused the events: {type(error).__name__}") from error

    async def _listen(self) -> None:
        delay = 0.0
        while True:
            pubsub = self._redis.pubsub()
            try:
                await self._relay_messages(pubsub)
            except (RedisError, OSError, TimeoutError) as error:
                level = logging.WARNING if self.subscribed.is_set() else logging.DEBUG
                log.log(level, "Redis subscription lost; reconnecting", extra={"fields": {"error": repr(error)}})
            finally:
                was_subscribed = self.subscribed.is_set()
                self.subscribed.clear()
                with suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            # Back off exponentially while Redis stays away, but retry at once after a working spell.
            delay = 0.1 if was_subscribed else min(max(delay * 2, 0.1), self._max_backoff)
            await asyncio.sleep(delay)

    async def _relay_messages(self, pubsub: PubSub) -> None:
        await pubsub.subscribe(self._channel)
        heard = time.monotonic()
        while True:
            message = await pubsub.get_message(timeout=self._ping_seconds)
            now = time.monotonic()
            if message is None:
                if now - heard > 3 * self._ping_seconds:
                    raise TimeoutError("the Redis subscriber connection went silent")
                # The answer arrives as a "pong" message and proves the connection alive.
                await pubsub.ping()
                continue
            heard = now
            kind = message["type"]
            if kind == "subscribe":
                # Anything published while we were away is in the log: make listeners read it.
                self.subscribed.set()
                self._local.reset()
                log.info("subscribed to Redis", extra={"fields": {"channel": self._channel}})
            elif kind == "message":
                try:
                    event = decode(message["data"])
                except (ValueError, KeyError, TypeError):
                    log.warning("ignored a malformed notification message")
                    continue
                await self._local.publish(event)


def notifier_for(redis_url: str, channel: str) -> InProcessNotifier | RedisNotifier:
    """Redis when a URL is configured (several instances), else fan-out inside this process."""
    return RedisNotifier(redis_url, channel) if redis_url else InProcessNotifier()


async def notifier_lifetime(notifier: InProcessNotifier | RedisNotifier) -> AsyncIterator[None]:
    """Resource: start the Redis subscriber with the app and close its connections at shutdown."""
    if isinstance(notifier, RedisNotifier):
        await notifier.start()
    try:
        yield None
    finally:
        if isinstance(notifier, RedisNotifier):
            await notifier.stop()
