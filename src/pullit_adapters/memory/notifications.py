"""The notification log in memory, numbered per member like the SQL one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pullit_domain.errors import Conflict
from pullit_domain.model.notification import MemberEvent, Notification, OutboxEntry

if TYPE_CHECKING:
    from pullit_adapters.memory.table import Table

NOTIFICATION_TABLES = ("notifications",)


@dataclass
class NotificationRow:
    member_id: int
    seq: int
    name: str
    data: str
    created_at: datetime
    published_at: datetime | None = None
    id: int | None = field(default=None)

    def event(self) -> MemberEvent:
        return MemberEvent(self.member_id, self.seq, self.name, self.data)


class InMemoryNotificationRepository:
    """Units of work are serialised by the database lock, so numbering needs no extra care."""

    def __init__(self, tables: dict[str, Table[Any]]) -> None:
        self._rows: Table[NotificationRow] = tables["notifications"]
        self._members: Table[Any] = tables["members"]

    async def record(self, member_id: int, notification: Notification, created_at: datetime) -> MemberEvent:
        if member_id not in self._members.rows:
            raise Conflict("no such member to notify")
        row = NotificationRow(
            member_id, await self.latest_id(member_id) + 1, notification.name, notification.data, created_at
        )
        self._rows.insert(row)
        return row.event()

    async def after(self, member_id: int, last_id: int, limit: int = 1000) -> list[MemberEvent]:
        rows = sorted(
            (r for r in self._rows.rows.values() if r.member_id == member_id and r.seq > last_id), key=lambda r: r.seq
        )
        return [r.event() for r in rows[:limit]]

    async def latest_id(self, member_id: int) -> int:
        return max((r.seq for r in self._rows.rows.values() if r.member_id == member_id), default=0)

    async def unpublished(self, limit: int) -> list[OutboxEntry]:
        rows = sorted((r for r in self._rows.rows.values() if r.published_at is None), key=lambda r: r.id or 0)
        return [OutboxEntry(r.id or 0, r.event(), r.created_at) for r in rows[:limit]]

    async def mark_published(self, row_ids: Sequence[int], published_at: datetime) -> None:
        for row_id in row_ids:
            row = self._rows.rows.get(row_id)
            if row is not None and row.published_at is None:
                row.published_at = published_at
