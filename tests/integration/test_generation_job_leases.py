"""A job can be leased by one worker only, on every backend, even from a stale read."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from pullit_adapters.memory import ManualClock
from pullit_adapters.sql.engine import create_engine, session_factory
from pullit_adapters.sql.unit_of_work import SqlUnitOfWork
from pullit_domain.errors import Conflict
from pullit_domain.model.generation_job import GenerationJob, JobStatus
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import QuestionSet
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.use_cases.members import SignUpMember
from pullit_domain.use_cases.question_sets import all_folder

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


async def queued_job(uow_factory: UnitOfWorkFactory) -> int:
    subject = uuid.uuid4().hex
    member = (await SignUpMember(uow_factory, ManualClock(NOW))(ExternalIdentity("t", subject, "L", None))).member
    assert member.id is not None
    async with uow_factory() as uow:
        question_set = QuestionSet(
            member.id,
            "t",
            QuestionType.SHORT_ANSWER,
            Difficulty.EASY,
            1,
            [],
            await all_folder(uow, member.id),
            NOW,
            NOW,
        )
        await uow.question_sets.add(question_set)
        assert question_set.id is not None
        await uow.jobs.add(GenerationJob(question_set.id, member.id, NOW, NOW))
        await uow.commit()
    return question_set.id


@pytest.fixture(params=["sqlite", "mariadb"])
async def sql_uow_factory(request: pytest.FixtureRequest) -> AsyncIterator[UnitOfWorkFactory]:
    """Real databases only: the in-memory one serialises units of work, so nothing is ever stale."""
    engine = create_engine(request.getfixturevalue(f"{request.param}_url"), pool_size=2)
    sessions = session_factory(engine)
    try:
        yield lambda: SqlUnitOfWork(sessions)
    finally:
        await engine.dispose()


async def test_a_second_worker_can_neither_see_nor_steal_a_job_being_claimed(
    sql_uow_factory: UnitOfWorkFactory,
) -> None:
    set_id = await queued_job(sql_uow_factory)

    async with sql_uow_factory() as first, sql_uow_factory() as second:
        mine = [j for j in await first.jobs.claimable(NOW, limit=100) if j.question_set_id == set_id]
        # MariaDB skips the row the first worker locked; SQLite lets both read it.
        theirs = [j for j in await second.jobs.claimable(NOW, limit=100) if j.question_set_id == set_id]
        mine[0].lease("first", NOW, LEASE)
        await first.commit()
        if theirs:
            theirs[0].lease("second", NOW, LEASE)
            with pytest.raises(Conflict):
                await second.commit()

    async with sql_uow_factory() as uow:
        job = await uow.jobs.for_set(set_id)
    assert job is not None
    assert (job.status, job.lease_owner, job.attempts) == (JobStatus.RUNNING, "first", 1)


async def test_claimable_skips_leased_jobs_until_their_lease_runs_out(uow_factory: UnitOfWorkFactory) -> None:
    set_id = await queued_job(uow_factory)
    async with uow_factory() as uow:
        job = await uow.jobs.for_set(set_id)
        assert job is not None
        job.lease("worker", NOW, LEASE)
        await uow.commit()

    async with uow_factory() as uow:
        during = [j.question_set_id for j in await uow.jobs.claimable(NOW + LEASE / 2, limit=100)]
        after = [j.question_set_id for j in await uow.jobs.claimable(NOW + LEASE, limit=100)]
    assert set_id not in during
    assert set_id in after
