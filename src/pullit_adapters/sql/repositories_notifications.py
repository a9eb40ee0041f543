"""The notification log on SQL: per-member numbering that holds under concurrent writers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pullit_adapters.sql.tables import members, notifications
from pullit_domain.model.notification import MemberEvent, Notification, OutboxEntry

_n = notifications.c


class SqlNotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, member_id: int, notification: Notification, created_at: datetime) -> MemberEvent:
        if self._session.get_bind().dialect.name != "sqlite":
            # Serialises writers of one member until commit, so numbers commit in order and
            # never collide; SQLite has a single writer anyway (and no FOR UPDATE).
            await self._session.execute(select(members.c.id).where(members.c.id == member_id).with_for_update())
        # One statement reads the last number and writes the next, so SQLite takes its write
        # lock before reading; the unique (member_id, seq) constraint backs this up.
        next_seq = select(
            literal(member_id),
            func.coalesce(func.max(_n.seq), 0) + 1,
            literal(notification.name),
            literal(notification.data),
            literal(created_at, notifications.c.created_at.type),
        ).where(_n.member_id == member_id)
        result = await self._session.execute(
            insert(notifications).from_select(["member_id", "seq", "name", "data", "created_at"], next_seq)
        )
        row_id = result.lastrowid  # type: ignore[attr-defined]
        seq = (await self._session.execute(select(_n.seq).where(_n.id == row_id))).scalar_one()
        return MemberEvent(member_id=member_id, id=int(seq), name=notification.name, data=notification.data)

    async def after(self, member_id: int, last_id: int, limit: int = 1000) -> list[MemberEvent]:
        query = (
            select(_n.seq, _n.name, _n.data)
            .where(_n.member_id == member_id, _n.seq > last_id)
            .order_by(_n.seq)
            .limit(limit)
        )
        rows = (await self._session.execute(query)).all()
        return [MemberEvent(member_id, int(seq), name, data) for seq, name, data in rows]

    async def latest_id(self, member_id: int) -> int:
        query = select(func.coalesce(func.max(_n.seq), 0)).where(_n.member_id == member_id)
        return int((await self._session.execute(query)).scalar_one())

    async def unpublished(self, limit: int) -> list[OutboxEntry]:
        query = (
            select(_n.id, _n.member_id, _n.seq, _n.name, _n.data, _n.created_at)
            .where(_n.published_at.is_(None))
            .order_by(_n.id)
            .limit(limit)
        )
        rows = (await self._session.execute(query)).all()
        return [
            OutboxEntry(int(row_id), MemberEvent(int(member_id), int(seq), name, data), created_at)
            for row_id, member_id, seq, name, data, created_at in rows
        ]

    async def mark_published(self, row_ids: Sequence[int], published_at: datetime) -> None:
        if not row_ids:
            return
        await self._session.execute(
            update(notifications)
            .where(_n.id.in_(list(row_ids)), _n.published_at.is_(None))
            .values(published_at=published_at)
        )
