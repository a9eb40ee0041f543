"""The outbox relay: hands committed notifications to the notifier, then marks them published.

It wakes right after a local commit that recorded notifications, and also polls, so
events committed by another process (a separate worker) go out too. When publishing
fails the events stay unpublished and are tried again on the next round; delivery is
at least once and listeners drop repeats by id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import suppress
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pullit_adapters.metrics import outbox_backlog, outbox_lag
from pullit_adapters.sql.repositories_notifications import AFTER_COMMIT
from pullit_domain.model.notification import MemberEvent, OutboxEntry
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.repository import UnitOfWorkFactory

log = logging.getLogger("pullit.outbox")


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
        poll_seconds: float = 2.0,
        batch_size: int = 200,
    ) -> None:
        self._uow = uow
        self._publisher = publisher
        self._clock = clock
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    def wake(self) -> None:
        """Run a round now (called after a commit that recorded notifications)."""
        self._wakeup.set()

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

    async def run(self) -> None:
        while True:
            self._wakeup.clear()
            published = await self._round()
            if published == self._batch_size:
                continue  # more may be waiting
            with suppress(TimeoutError):
                async with asyncio.timeout(self._poll_seconds):
                    await self._wakeup.wait()

    async def _round(self) -> int:
        try:
            published = await self.relay_once()
        except Exception as error:  # noqa: BLE001 - any failure: keep the events and try again next round
            if not self._failing:
                log.warning("notifications not published; will retry", extra={"fields": {"error": repr(error)}})
            self._failing = True
            return 0
        if self._failing:
            log.info("notifications flowing again")
        self._failing = False
        return published

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="pullit-outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None


async def relay_lifetime(
    relay: OutboxRelay, sessions: async_sessionmaker[AsyncSession], enabled: bool = True
) -> AsyncIterator[OutboxRelay]:
    """Resource: wake the relay after each local commit that recorded notifications, run it, stop it."""
    if not enabled:
        yield relay
        return
    info: dict[Any, Any] = dict(sessions.kw.get("info") or {})
    info[AFTER_COMMIT] = relay.wake
    sessions.configure(info=info)
    await relay.start()
    try:
        yield relay
    finally:
        await relay.stop()
