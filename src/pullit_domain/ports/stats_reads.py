"""The read side of learning stats: the read model's row, the set count and the days.

Like every read port it takes no unit of work: an adapter answers in one or two queries,
straight into the plain, immutable records below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True, slots=True)
class LearningStatsRead:
    """The member's row of the read model (zeros before any activity) and their live set count."""

    question_set_count: int
    solved_set_count: int
    solved_question_count: int
    correct_question_count: int
    weekly_solved_question_count: int
    week_of: date | None
    streak: int
    last_active_on: date | None


@dataclass(frozen=True, slots=True)
class DayRead:
    day: date
    solved_question_count: int


class StatsReads(Protocol):
    async def learning_stats(self, member_id: int) -> LearningStatsRead:
        """The stats row, with the member's question sets counted live (not deleted, any status)."""
        ...

    async def daily(self, member_id: int, first: date, last: date) -> list[DayRead]:
        """Days with a row between ``first`` and ``last`` inclusive, in date order."""
        ...
