"""``StatsReads`` over any unit of work's repositories: the in-memory fakes' read side."""

from __future__ import annotations

from datetime import date

from pullit_domain.model.stats import LearningStats
from pullit_domain.ports.stats_reads import DayRead, LearningStatsRead
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory


class UnitOfWorkStatsReads:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def learning_stats(self, member_id: int) -> LearningStatsRead:
        async with self._uow() as uow:
            stats = await uow.learning_stats.get(member_id) or LearningStats(member_id=member_id)
            set_count = len(await uow.question_sets.all(member_id))
        return LearningStatsRead(
            question_set_count=set_count,
            solved_set_count=stats.solved_set_count,
            solved_question_count=stats.solved_question_count,
            correct_question_count=stats.correct_question_count,
            weekly_solved_question_count=stats.weekly_solved_question_count,
            week_of=stats.week_of,
            streak=stats.streak,
            last_active_on=stats.last_active_on,
        )

    async def daily(self, member_id: int, first: date, last: date) -> list[DayRead]:
        async with self._uow() as uow:
            days = await uow.learning_stats.daily(member_id, first, last)
        return [DayRead(d.day, d.solved_question_count) for d in days]
