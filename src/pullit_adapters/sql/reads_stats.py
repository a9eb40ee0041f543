"""``StatsReads`` in SQLAlchemy Core: the stats row and a COUNT, or the days, without an ORM session."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from pullit_adapters.sql import tables
from pullit_adapters.sql.reads import read_connection
from pullit_domain.ports.stats_reads import DayRead, LearningStatsRead

_stats = tables.learning_stats.c
_days = tables.daily_stats.c
_sets = tables.question_sets.c

_STATS_COLUMNS = (
    _stats.solved_set_count,
    _stats.solved_question_count,
    _stats.correct_question_count,
    _stats.weekly_solved_question_count,
    _stats.week_of,
    _stats.streak,
    _stats.last_active_on,
)
_NO_ACTIVITY = (0, 0, 0, 0, None, 0, None)


class SqlStatsReads:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def learning_stats(self, member_id: int) -> LearningStatsRead:
        # Counted off the (member_id, deleted_at) index, without reading a set's row.
        live_sets = (
            select(func.count())
            .select_from(tables.question_sets)
            .where(_sets.member_id == member_id, _sets.deleted_at.is_(None))
        )
        row = select(*_STATS_COLUMNS).where(_stats.member_id == member_id)
        async with read_connection(self._engine) as connection:
            set_count = (await connection.execute(live_sets)).scalar_one()
            stats = (await connection.execute(row)).first()
        return LearningStatsRead(int(set_count), *(stats or _NO_ACTIVITY))

    async def daily(self, member_id: int, first: date, last: date) -> list[DayRead]:
        query = (
            select(_days.day, _days.solved_question_count)
            .where(_days.member_id == member_id, _days.day >= first, _days.day <= last)
            .order_by(_days.day)
        )
        async with read_connection(self._engine) as connection:
            return [DayRead(*row) for row in await connection.execute(query)]
