"""The stats read port answers alike on the fake, SQLite and MariaDB: the member's own row and days,
and their live question sets counted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from pullit_adapters.memory.stats_reads import UnitOfWorkStatsReads
from pullit_adapters.sql.reads_stats import SqlStatsReads
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.model.stats import LearningStats
from pullit_domain.ports.stats_reads import DayRead, LearningStatsRead, StatsReads
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from tests.support.database import READ_BACKENDS, reads_on
from tests.support.members import new_member
from tests.support.solving import ready_set, short

AT = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)


@pytest.fixture(params=READ_BACKENDS)
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[tuple[UnitOfWorkFactory, StatsReads]]:
    async with reads_on(request, UnitOfWorkStatsReads, SqlStatsReads) as pair:
        yield pair


async def test_a_new_member_reads_zeros_and_their_live_sets_of_any_status(
    backend: tuple[UnitOfWorkFactory, StatsReads],
) -> None:
    uow_factory, reads = backend
    me, someone = await new_member(uow_factory), await new_member(uow_factory)
    await ready_set(uow_factory, me, [short("a")])
    await ready_set(uow_factory, me, [], status=QuestionSetStatus.PENDING)
    await ready_set(uow_factory, me, [], status=QuestionSetStatus.FAILED)
    gone = await ready_set(uow_factory, me, [short("a")])
    await ready_set(uow_factory, someone, [short("a")])
    async with uow_factory() as uow:
        deleted = await uow.question_sets.get(me, gone.id)
        assert deleted is not None
        deleted.delete(AT)
        await uow.commit()

    assert await reads.learning_stats(me) == LearningStatsRead(3, 0, 0, 0, 0, None, 0, None)
    assert (await reads.learning_stats(await new_member(uow_factory))).question_set_count == 0


async def test_the_row_and_the_days_are_the_members_own(backend: tuple[UnitOfWorkFactory, StatsReads]) -> None:
    uow_factory, reads = backend
    me, someone = await new_member(uow_factory), await new_member(uow_factory)
    async with uow_factory() as uow:
        await uow.learning_stats.save(
            LearningStats(
                member_id=me,
                solved_set_count=4,
                solved_question_count=17,
                correct_question_count=11,
                weekly_solved_question_count=6,
                week_of=date(2026, 3, 2),
                streak=2,
                last_active_on=date(2026, 3, 3),
            )
        )
        await uow.learning_stats.save(LearningStats(member_id=someone, solved_set_count=9))
        for day, solved in ((date(2026, 2, 28), 1), (date(2026, 3, 3), 4), (date(2026, 3, 1), 2)):
            await uow.learning_stats.add_daily(me, day, solved)
        await uow.learning_stats.add_daily(someone, date(2026, 3, 1), 5)
        await uow.commit()

    assert await reads.learning_stats(me) == LearningStatsRead(0, 4, 17, 11, 6, date(2026, 3, 2), 2, date(2026, 3, 3))
    # Both ends inclusive, in date order.
    assert await reads.daily(me, date(2026, 3, 1), date(2026, 3, 3)) == [
        DayRead(date(2026, 3, 1), 2),
        DayRead(date(2026, 3, 3), 4),
    ]
    assert await reads.daily(someone, date(2026, 3, 2), date(2026, 3, 31)) == []
