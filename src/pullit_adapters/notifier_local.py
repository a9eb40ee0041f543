"""Fan-out of member events to subscribers inside this one process."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence

from pullit_domain.model.notification import MemberEvent


class _Subscription:
    """Registered on creation (not on first iteration), so no event slips in between."""

    def __init__(self, owner: InProcessNotifier, member_id: int) -> None:
        self._owner = owner
        self._member_id = member_id
        # ``None`` ends the subscription (see ``InProcessNotifier.reset``).
        self.queue: asyncio.Queue[MemberEvent | None] = asyncio.Queue()
        owner._queues[member_id].add(self.queue)

    def __aiter__(self) -> AsyncIterator[MemberEvent]:
        return self

    async def __anext__(self) -> MemberEvent:
        event = await self.queue.get()
        if event is None:
            await self.aclose()
            raise StopAsyncIteration
        return event

    async def aclose(self) -> None:
        queues = self._owner._queues.get(self._member_id)
        if queues is not None:
            queues.discard(self.queue)
            if not queues:
                del self._owner._queues[self._member_id]


class InProcessNotifier:
    """Every subscriber gets its own unbounded queue, so a slow tab never blocks a publisher."""

    def __init__(self) -> None:
        self._queues: defaultdict[int, set[asyncio.Queue[MemberEvent | None]]] = defaultdict(set)

    @property
    def subscriber_count(self) -> int:
        return sum(len(queues) for queues in self._queues.values())

    async def publish(self, event: MemberEvent) -> None:
        for queue in tuple(self._queues.get(event.member_id, ())):
            queue.put_nowait(event)

    async def publish_batch(self, events: Sequence[MemberEvent]) -> None:
        for event in events:
            await self.publish(event)

    def reset(self) -> None:
        """End every open subscription; listeners subscribe again and catch up from the durable log.

        Used when events may have been missed, e.g. after a broker connection came back.
        """
        for queues in tuple(self._queues.values()):
            for queue in tuple(queues):
                queue.put_nowait(None)

    def subscribe(self, member_id: int) -> _Subscription:
        return _Subscription(self, member_id)
