"""The outbox relay: hands committed notifications to the notifier, then marks them published.

The web shell runs ``round`` on its durable loop: at once after a local commit that recorded
notifications, and on a poll, so events committed by another process (a separate worker) go
out too. When publishing fails the events stay unpublished and are tried again on the next
round; delivery is at least once and listeners drop repeats by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pullit_adapters.metrics import outbox_backlog, outbox_lag
from pullit_domain.model.notification import MemberEvent, OutboxEntry
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory


class BatchPublisher(Protocol):
    async def publish_batch(self, events: Sequence[MemberEvent]) -> None:
        """Publish in order, or raise (possibly after publishing a prefix)."""
        ...


class OutboxRelay:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        publisher: BatchPublisher,
        clock: Clock,
        batch_size: int = 200,
    ) -> None:
        self._uow = uow
        self._publisher = publisher
        self._clock = clock
        self._batch_size = batch_size

    async def relay_once(self) -> int:
        """Publish the oldest unpublished events; the number published. Raises when publishing fails."""
        async with self._uow() as uow:
            entries = await uow.notifications.unpublished(self._batch_size)
        self._measure_lag(entries)
        if not entries:
            return 0
        await self._publisher.publish_batch([entry.event for entry in entries])
        async with self._uow() as uow:
            await uow.notifications.mark_published([entry.row_id for entry in entries], self._clock.now())
            await uow.commit()
        return len(entries)

    def _measure_lag(self, entries: Sequence[OutboxEntry]) -> None:
        # Measured before publishing, so a broker outage shows as a growing lag.
        outbox_backlog.set(len(entries))
        oldest = entries[0].created_at if entries else None
        outbox_lag.set(max((self._clock.now() - oldest).total_seconds(), 0.0) if oldest is not None else 0.0)

    async def round(self) -> bool:
        """One relay round for the loop; True when a full batch went out and more may wait."""
        return await self.relay_once() == self._batch_size
