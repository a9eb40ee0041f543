"""Fan-out of member events to subscribers inside this one process.

A process may hold ten thousand idle subscriptions, so each is a small slotted object: a
backlog created only while events wait to be read, and one future while its reader waits.
(An ``asyncio.Queue`` costs four deques and an ``Event`` per subscriber, about 3 KiB, even empty.)
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence

from pullit_domain.model.notification import MemberEvent


class _Subscription:
    """Registered on creation (not on first iteration), so no event slips in between."""

    __slots__ = ("_backlog", "_ended", "_member_id", "_owner", "_waiter")

    def __init__(self, owner: InProcessNotifier, member_id: int) -> None:
        self._owner = owner
        self._member_id = member_id
        self._backlog: deque[MemberEvent] | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._ended = False
        owner._subscriptions.setdefault(member_id, set()).add(self)

    def _deliver(self, event: MemberEvent | None) -> None:
        """Queue ``event`` for the reader; ``None`` ends the subscription after what is already queued."""
        if self._ended:
            return  # as with a queue: nothing after the end is read
        if event is None:
            self._ended = True
        elif self._backlog is None:
            self._backlog = deque((event,))
        else:
            self._backlog.append(event)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def __aiter__(self) -> _Subscription:
        return self

    async def __anext__(self) -> MemberEvent:
        while True:
            backlog = self._backlog
            if backlog:
                event = backlog.popleft()
                if not backlog:
                    self._backlog = None  # an idle subscription holds no buffer
                return event
            if self._ended:
                await self.aclose()
                raise StopAsyncIteration
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None

    async def aclose(self) -> None:
        subscriptions = self._owner._subscriptions.get(self._member_id)
        if subscriptions is not None:
            subscriptions.discard(self)
            if not subscriptions:
                del self._owner._subscriptions[self._member_id]


class InProcessNotifier:
    """Every subscriber gets its own unbounded backlog, so a slow tab never blocks a publisher."""

    def __init__(self) -> None:
        self._subscriptions: dict[int, set[_Subscription]] = {}

    @property
    def subscriber_count(self) -> int:
        return sum(len(subscriptions) for subscriptions in self._subscriptions.values())

    async def publish(self, event: MemberEvent) -> None:
        for subscription in tuple(self._subscriptions.get(event.member_id, ())):
            subscription._deliver(event)

    async def publish_batch(self, events: Sequence[MemberEvent]) -> None:
        for event in events:
            await self.publish(event)

    def reset(self) -> None:
        """End every open subscription; listeners subscribe again and catch up from the durable log.

        Used when events may have been missed, e.g. after a broker connection came back.
        """
        for subscriptions in tuple(self._subscriptions.values()):
            for subscription in tuple(subscriptions):
                subscription._deliver(None)

    def subscribe(self, member_id: int) -> _Subscription:
        return _Subscription(self, member_id)
