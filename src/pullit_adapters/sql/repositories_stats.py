"""The domain-event outbox and the learning-stats read model in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import registry

from pullit_adapters.sql import tables
from pullit_domain.model.stats import DailyStat, DomainEvent, LearningStats, SolvedQuestionSet

_e = tables.domain_events.c
_d = tables.daily_stats.c
_solved = tables.solved_question_sets.c


def map_stats(mapper_registry: registry) -> None:
    mapper_registry.map_imperatively(DomainEvent, tables.domain_events)
    mapper_registry.map_imperatively(LearningStats, tables.learning_stats)
    mapper_registry.map_imperatively(DailyStat, tables.daily_stats)
    mapper_registry.map_imperatively(SolvedQuestionSet, tables.solved_question_sets)


class SqlDomainEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, event: DomainEvent) -> None:
        self._session.add(event)
        await self._session.flush()

    async def unprocessed(self, limit: int, member_id: int | None = None) -> list[DomainEvent]:
        query = select(DomainEvent).where(_e.processed_at.is_(None))
        if member_id is not None:
            query = query.where(_e.member_id == member_id)
        query = query.order_by(_e.id).limit(limit)
        return list((await self._session.scalars(query)).all())

    async def mark_processed(self, event_id: int, at: datetime) -> None:
        # By id: the event usually comes from an earlier unit of work.
        await self._session.execute(
            update(tables.domain_events)
            .where(_e.id == event_id, _e.processed_at.is_(None))
            .values(processed_at=at)
            .execution_options(synchronize_session=False)
        )


class SqlLearningStatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock_member(self, member_id: int) -> None:
        # SQLite has one writer at a time and no FOR UPDATE; MariaDB holds this row lock to commit.
        if self._session.get_bind().dialect.name != "sqlite":
            members = tables.members.c
            await self._session.execute(select(members.id).where(members.id == member_id).with_for_update())

    async def claim_event(self, event_id: int, at: datetime) -> bool:
        processed = tables.processed_events.c
        seen = await self._session.scalar(select(processed.event_id).where(processed.event_id == event_id))
        if seen is not None:
            return False
        await self._session.execute(insert(tables.processed_events).values(event_id=event_id, processed_at=at))
        return True

    async def get(self, member_id: int) -> LearningStats | None:
        return (await self._session.scalars(select(LearningStats).filter_by(member_id=member_id))).one_or_none()

    async def add(self, stats: LearningStats) -> None:
        self._session.add(stats)
        await self._session.flush()

    async def add_daily(self, member_id: int, day: date, solved: int) -> None:
        row = (await self._session.scalars(select(DailyStat).filter_by(member_id=member_id, day=day))).one_or_none()
        if row is None:
            self._session.add(DailyStat(member_id, day, solved))
        else:
            row.solved_question_count += solved
        await self._session.flush()

    async def daily(self, member_id: int, first: date, last: date) -> list[DailyStat]:
        query = select(DailyStat).where(_d.member_id == member_id, _d.day >= first, _d.day <= last).order_by(_d.day)
        return list((await self._session.scalars(query)).all())

    async def add_solved_sets(self, member_id: int, set_ids: Sequence[int], at: datetime) -> None:
        known = await self.solved_set_ids(member_id)
        for set_id in dict.fromkeys(set_ids):
            if set_id not in known:
                self._session.add(SolvedQuestionSet(member_id, set_id, at))
        await self._session.flush()

    async def solved_set_ids(self, member_id: int) -> set[int]:
        query = select(_solved.question_set_id).where(_solved.member_id == member_id)
        return {int(i) for i in (await self._session.scalars(query)).all()}
