"""The domain-event outbox and the learning-stats read model in SQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import registry

from pullit_adapters.sql import tables
from pullit_adapters.sql.asyncmy_dialect import DEFERRABLE
from pullit_adapters.sql.batch import STATS_READ_WITH_LOCK, Upsert, column_values, first_lock, from_row
from pullit_domain.model.stats import DailyStat, DomainEvent, LearningStats, SolvedQuestionSet

_e = tables.domain_events.c
_d = tables.daily_stats.c
_solved = tables.solved_question_sets.c


def map_stats(mapper_registry: registry) -> None:
    mapper_registry.map_imperatively(DomainEvent, tables.domain_events)
    mapper_registry.map_imperatively(LearningStats, tables.learning_stats)
    mapper_registry.map_imperatively(DailyStat, tables.daily_stats)
    mapper_registry.map_imperatively(SolvedQuestionSet, tables.solved_question_sets)


_EVENT_COLUMNS = tuple(c.name for c in tables.domain_events.c if c.name != "id")
_STATS_COLUMNS = tuple(c.name for c in tables.learning_stats.c if c.name != "id")
_INSERT_EVENT = insert(tables.domain_events)
_INSERT_STATS = insert(tables.learning_stats)
_STATS_OF = select(*tables.learning_stats.c).where(tables.learning_stats.c.member_id == bindparam("member_id"))
_m, _ls = tables.members.c, tables.learning_stats.c
# The member's row lock, which also reads (and locks) their stats row: a locking read returns
# the latest committed row, so the stats need no read of their own while the lock is held.
_LOCK_READING_STATS = (
    select(_m.id.label("locked_member_id"), *tables.learning_stats.c)
    .select_from(tables.members.outerjoin(tables.learning_stats, _ls.member_id == _m.id))
    .where(_m.id == bindparam("member_id"))
    .with_for_update()
)
# The SET clause is every column given in the parameters.
_SAVE_STATS = update(tables.learning_stats).where(tables.learning_stats.c.id == bindparam("stats_id"))
_COUNT_DAY = Upsert(
    tables.daily_stats,
    ("member_id", "day"),
    lambda table, new: {"solved_question_count": table.c.solved_question_count + new.solved_question_count},
)
_SOLVED = Upsert(tables.solved_question_sets, ("member_id", "question_set_id"))
_CLAIM = Upsert(tables.processed_events, ("event_id",), counted=True)


async def lock_member_reading_stats(session: AsyncSession, member_id: int) -> None:
    """MariaDB: lock the member's row until the transaction ends, reading their stats row in the
    same round trip for ``SqlLearningStatsRepository.get``."""
    row = (await session.execute(_LOCK_READING_STATS, {"member_id": member_id})).mappings().one_or_none()
    stats = None if row is None or row["id"] is None else {c.name: row[c.name] for c in tables.learning_stats.c}
    session.info.setdefault(STATS_READ_WITH_LOCK, {})[member_id] = stats


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


class SqlDomainEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, event: DomainEvent) -> None:
        # Core, not the ORM: the event is written once and read back by id only.
        result = cast(
            "CursorResult[Any]",
            await self._session.execute(_INSERT_EVENT, column_values(event, _EVENT_COLUMNS)),
        )
        event.id = _new_id(result)

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
        # SQLite has one writer at a time and no FOR UPDATE; MariaDB holds this row lock to commit
        # (taken once: marking locks the member first and then projects its event).
        if self._session.get_bind().dialect.name != "sqlite" and first_lock(self._session, member_id):
            await lock_member_reading_stats(self._session, member_id)

    async def claim_event(self, event_id: int, at: datetime) -> bool:
        # One INSERT that leaves an existing claim alone; no row inserted means claimed before.
        claim = _CLAIM.on(self._session)
        result = cast(
            "CursorResult[Any]", await self._session.execute(claim, {"event_id": event_id, "processed_at": at})
        )
        return bool(result.rowcount)

    async def claim_new_event(self, event_id: int, at: datetime) -> None:
        await self._session.execute(
            _CLAIM.on(self._session), {"event_id": event_id, "processed_at": at}, execution_options=DEFERRABLE
        )

    async def get(self, member_id: int) -> LearningStats | None:
        read_with_lock: dict[int, Mapping[Any, Any] | None] = self._session.info.get(STATS_READ_WITH_LOCK, {})
        if member_id in read_with_lock:
            # Taken once: what this transaction writes later is not in it.
            row = read_with_lock.pop(member_id)
        else:
            row = (await self._session.execute(_STATS_OF, {"member_id": member_id})).mappings().one_or_none()
        # A plain instance, not in the session: ``save`` writes it.
        return None if row is None else from_row(LearningStats, row)

    async def save(self, stats: LearningStats) -> None:
        values = column_values(stats, _STATS_COLUMNS)
        if stats.id is None:
            result = cast("CursorResult[Any]", await self._session.execute(_INSERT_STATS, values))
            stats.id = _new_id(result)
        else:
            await self._session.execute(_SAVE_STATS, {**values, "stats_id": stats.id}, execution_options=DEFERRABLE)

    async def add_daily(self, member_id: int, day: date, solved: int) -> None:
        # One upsert: the day's row is made or counted up, never read first.
        await self._session.execute(
            _COUNT_DAY.on(self._session),
            {"member_id": member_id, "day": day, "solved_question_count": solved},
            execution_options=DEFERRABLE,
        )

    async def daily(self, member_id: int, first: date, last: date) -> list[DailyStat]:
        query = select(DailyStat).where(_d.member_id == member_id, _d.day >= first, _d.day <= last).order_by(_d.day)
        return list((await self._session.scalars(query)).all())

    async def add_solved_sets(self, member_id: int, set_ids: Sequence[int], at: datetime) -> None:
        rows = [
            {"member_id": member_id, "question_set_id": set_id, "first_solved_at": at}
            for set_id in dict.fromkeys(set_ids)
        ]
        if rows:
            # One INSERT that leaves sets solved before (and their first time) alone.
            await self._session.execute(_SOLVED.on(self._session), rows, execution_options=DEFERRABLE)

    async def solved_set_ids(self, member_id: int) -> set[int]:
        query = select(_solved.question_set_id).where(_solved.member_id == member_id)
        return {int(i) for i in (await self._session.scalars(query)).all()}
