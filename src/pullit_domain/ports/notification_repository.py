"""The durable notification log (the transactional outbox)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from pullit_domain.model.notification import MemberEvent, Notification, OutboxEntry


class NotificationRepository(Protocol):
    """The durable notification log (a transactional outbox).

    ``record`` numbers the event with the member's next id inside the current transaction;
    two transactions recording for one member are serialised, so ids are unique, gap-free
    while committed, and commit in id order. ``after`` replays a member's events with an id
    above ``last_id`` in id order; ``latest_id`` is 0 for a member with no events.
    ``unpublished`` gives the oldest committed entries the relay has not handed to the
    notifier yet; ``mark_published`` records that it has.
    """

    async def record(self, member_id: int, notification: Notification, created_at: datetime) -> MemberEvent: ...

    async def after(self, member_id: int, last_id: int, limit: int = 1000) -> list[MemberEvent]: ...

    async def latest_id(self, member_id: int) -> int: ...

    async def unpublished(self, limit: int) -> list[OutboxEntry]: ...

    async def mark_published(self, row_ids: Sequence[int], published_at: datetime) -> None: ...
