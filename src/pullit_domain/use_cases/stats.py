"""Learning statistics: the projector that feeds the read model from domain events, and its readers.

Marking and reviews record their event in their own transaction (the outbox). The projector
applies events to the read model, each exactly once: marking has it apply its event inside
the marking's transaction (``record_applied``); a review's event is applied right after its
commit in-process; a background sweep applies anything left behind (a crash, another
instance). Applying an event that was already applied changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from pullit_domain.errors import Code, Conflict, InvalidInput, NotFound
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.model.stats import (
    ANSWERS_MARKED,
    CARD_REVIEWED,
    AnswersMarked,
    DomainEvent,
    LearningStats,
    LearningStatsView,
    consecutive_days,
    learning_progress,
    local_day,
    weekly_count,
)
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.stats_reads import StatsReads
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("pullit.stats")

MAX_DAILY_RANGE = 366
DEFAULT_DAILY_RANGE = 30


class ProjectLearningEvents:
    """Apply unprocessed domain events to the stats read model, one transaction per event."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, zone: tzinfo, batch: int = 100) -> None:
        self._uow = uow
        self._clock = clock
        self._zone = zone
        self._batch = batch

    async def __call__(self) -> int:
        """The background sweep: how many events it applied."""
        return await self._drain(None)

    async def for_member(self, member_id: int) -> int:
        return await self._drain(member_id)

    async def _drain(self, member_id: int | None) -> int:
        async with self._uow() as uow:
            pending = await uow.domain_events.unprocessed(self._batch, member_id)
        applied = 0
        for event in pending:
            try:
                applied += await self.apply(event)
            except Conflict:
                # Another projector wrote first (SQLite has no row lock to wait on); the event is
                # either applied by it or still unprocessed and swept later.
                continue
        return applied

    async def apply(self, event: DomainEvent) -> bool:
        """Apply one event; ``False`` when it had been applied before (nothing changes then)."""
        assert event.id is not None
        now = self._clock.now()
        async with self._uow() as uow:
            await uow.learning_stats.lock_member(event.member_id)
            if not await uow.learning_stats.claim_event(event.id, now):
                return False
            await self._project(uow, event)
            await uow.domain_events.mark_processed(event.id, now)
            await uow.commit()
        return True

    async def record_applied(self, uow: UnitOfWork, event: DomainEvent) -> None:
        """Record a new event already applied, in the caller's unit of work: the stats change in
        the transaction of what the event describes, and the sweep never sees the event."""
        await uow.learning_stats.lock_member(event.member_id)
        await self._project(uow, event)
        event.processed_at = self._clock.now()
        await uow.domain_events.record(event)
        assert event.id is not None
        # Claimed too, so replaying the event later changes nothing.
        await uow.learning_stats.claim_new_event(event.id, event.processed_at)

    async def _project(self, uow: UnitOfWork, event: DomainEvent) -> None:
        if event.kind == ANSWERS_MARKED:
            marked = AnswersMarked.of(event)
            day = local_day(marked.occurred_at, self._zone)
            stats = await _stats_row(uow, event.member_id)
            stats.record(day, marked.solved, marked.correct)
            await uow.learning_stats.save(stats)
            await uow.learning_stats.add_daily(event.member_id, day, marked.solved)
            await uow.learning_stats.add_solved_sets(event.member_id, marked.question_set_ids, marked.occurred_at)
        elif event.kind == CARD_REVIEWED:
            stats = await _stats_row(uow, event.member_id)
            stats.record_review(local_day(event.occurred_at, self._zone))
            await uow.learning_stats.save(stats)
        else:
            log.warning("no projection for domain event kind %r; marked processed", event.kind)


async def _stats_row(uow: UnitOfWork, member_id: int) -> LearningStats:
    """The member's row, or a new one that ``save`` inserts."""
    return await uow.learning_stats.get(member_id) or LearningStats(member_id=member_id)


def _own(caller_id: int, member_id: int) -> None:
    if caller_id != member_id:
        raise NotFound("member not found", Code.MEMBER_NOT_FOUND)


class GetLearningStats:
    """The member's totals, this week's count and streak as of now in the service zone.

    ``totalQuestionSetCount`` is counted live from the question sets (not deleted, any
    status); everything else comes from the read model.
    """

    def __init__(self, reads: StatsReads, clock: Clock, zone: tzinfo) -> None:
        self._reads = reads
        self._clock = clock
        self._zone = zone

    async def __call__(self, caller_id: int, member_id: int) -> LearningStatsView:
        _own(caller_id, member_id)
        today = local_day(self._clock.now(), self._zone)
        stats = await self._reads.learning_stats(member_id)
        return LearningStatsView(
            total_question_set_count=stats.question_set_count,
            total_solved_question_set_count=stats.solved_set_count,
            total_solved_question_count=stats.solved_question_count,
            total_correct_question_count=stats.correct_question_count,
            weekly_solved_question_count=weekly_count(stats.week_of, stats.weekly_solved_question_count, today),
            consecutive_learning_days=consecutive_days(stats.last_active_on, stats.streak, today),
        )


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


class GetDailyStats:
    """Days with activity in ``[first, last]`` (local dates); by default the last 30 days."""

    def __init__(self, reads: StatsReads, clock: Clock, zone: tzinfo) -> None:
        self._reads = reads
        self._clock = clock
        self._zone = zone

    async def __call__(self, caller_id: int, member_id: int, first: date | None, last: date | None) -> list[DayCount]:
        _own(caller_id, member_id)
        last = last or local_day(self._clock.now(), self._zone)
        first = first or last - timedelta(days=DEFAULT_DAILY_RANGE - 1)
        if first > last:
            raise InvalidInput("from must not be after to")
        if (last - first).days >= MAX_DAILY_RANGE:
            raise InvalidInput("at most {max_days} days at once", max_days=MAX_DAILY_RANGE)
        days = await self._reads.daily(member_id, first, last)
        return [DayCount(d.day, d.solved_question_count) for d in days if d.solved_question_count > 0]


async def learning_progress_of(uow: UnitOfWork, member_id: int) -> int:
    """``learningProgress`` of the question-set list: percent (0..100, rounded down) of the
    member's COMPLETE, non-deleted question sets solved at least once. Runs inside the
    caller's unit of work."""
    sets = await uow.question_sets.all(member_id)
    solved = await uow.learning_stats.solved_set_ids(member_id)
    complete = {s.id for s in sets if s.status is QuestionSetStatus.COMPLETE and s.id is not None}
    return learning_progress(complete, solved)


class GetLearningProgress:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, member_id: int) -> int:
        async with self._uow() as uow:
            return await learning_progress_of(uow, member_id)
