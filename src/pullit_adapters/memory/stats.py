"""The in-memory domain-event outbox and learning-stats read model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pullit_domain.model.stats import DailyStat, DomainEvent, LearningStats, SolvedQuestionSet

if TYPE_CHECKING:
    from pullit_adapters.memory.table import Table

STATS_TABLES = ("domain_events", "processed_events", "learning_stats", "daily_stats", "solved_question_sets")


@dataclass(eq=False)
class ProcessedEvent:
    event_id: int
    processed_at: datetime
    id: int | None = field(default=None)


class InMemoryDomainEventRepository:
    def __init__(self, tables: dict[str, Table[Any]]) -> None:
        self._events: Table[DomainEvent] = tables["domain_events"]

    async def record(self, event: DomainEvent) -> None:
        self._events.insert(event)

    async def unprocessed(self, limit: int, member_id: int | None = None) -> list[DomainEvent]:
        pending = [
            e
            for e in self._events.rows.values()
            if e.processed_at is None and (member_id is None or e.member_id == member_id)
        ]
        return sorted(pending, key=lambda e: e.id or 0)[:limit]

    async def mark_processed(self, event_id: int, at: datetime) -> None:
        event = self._events.rows.get(event_id)
        if event is not None and event.processed_at is None:
            event.processed_at = at


class InMemoryLearningStatsRepository:
    def __init__(self, tables: dict[str, Table[Any]]) -> None:
        self._processed: Table[ProcessedEvent] = tables["processed_events"]
        self._stats: Table[LearningStats] = tables["learning_stats"]
        self._daily: Table[DailyStat] = tables["daily_stats"]
        self._solved: Table[SolvedQuestionSet] = tables["solved_question_sets"]

    async def lock_member(self, member_id: int) -> None:
        # Units of work on the in-memory database are serialised already.
        return None

    async def claim_event(self, event_id: int, at: datetime) -> bool:
        if any(p.event_id == event_id for p in self._processed.rows.values()):
            return False
        self._processed.insert(ProcessedEvent(event_id, at))
        return True

    async def claim_new_event(self, event_id: int, at: datetime) -> None:
        await self.claim_event(event_id, at)

    async def get(self, member_id: int) -> LearningStats | None:
        return next((s for s in self._stats.rows.values() if s.member_id == member_id), None)

    async def save(self, stats: LearningStats) -> None:
        if stats.id is None:
            self._stats.insert(stats)
        else:
            self._stats.rows[stats.id] = stats

    async def add_daily(self, member_id: int, day: date, solved: int) -> None:
        row = next((d for d in self._daily.rows.values() if d.member_id == member_id and d.day == day), None)
        if row is None:
            self._daily.insert(DailyStat(member_id, day, solved))
        else:
            row.solved_question_count += solved

    async def daily(self, member_id: int, first: date, last: date) -> list[DailyStat]:
        days = [d for d in self._daily.rows.values() if d.member_id == member_id and first <= d.day <= last]
        return sorted(days, key=lambda d: d.day)

    async def add_solved_sets(self, member_id: int, set_ids: Sequence[int], at: datetime) -> None:
        known = await self.solved_set_ids(member_id)
        for set_id in dict.fromkeys(set_ids):
            if set_id not in known:
                self._solved.insert(SolvedQuestionSet(member_id, set_id, at))

    async def solved_set_ids(self, member_id: int) -> set[int]:
        return {s.question_set_id for s in self._solved.rows.values() if s.member_id == member_id}
