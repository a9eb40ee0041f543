"""Question sets from request to settlement, against the in-memory fakes.

Every outcome is observable by the learner: the set's status and reason, its questions,
and the notification their tabs receive.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from pullit_adapters.memory.question_set_reads import UnitOfWorkQuestionSetReads
from pullit_domain.errors import InvalidInput, NotFound, TooManyRequests, Unprocessable
from pullit_domain.events import NotificationRecorded, QuestionSetRequested
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.model.source import SourceStatus
from pullit_domain.ports.llm import GenerationFailed, GenerationImpossible
from pullit_domain.use_cases.generation import ExpireStalePendingSets, Outcome
from pullit_domain.use_cases.question_sets import ListQuestionSets, RetryQuestionSet
from tests.support.generation import POLICY, ScriptedLLM, World


async def test_a_set_is_pending_at_once_then_completes_and_the_learner_hears_it() -> None:
    world = World(ScriptedLLM())
    member = await world.member()
    source = await world.source(member)

    set_id = await world.create(world.request(member, source, count=4))

    assert world.committed_of(QuestionSetRequested) == [QuestionSetRequested(set_id)]
    with pytest.raises(InvalidInput) as pending:
        await world.get(member, set_id)
    assert pending.value.code == "QSE_002"

    assert await world.run_worker() is Outcome.COMPLETE
    view = await world.get(member, set_id)
    assert view.question_set.status is QuestionSetStatus.COMPLETE
    assert len(view.questions) == 4
    assert all(q.answer in (q.options or []) for q in view.questions)
    assert await world.events(member) == [
        {
            "success": True,
            "questionSetId": set_id,
            "message": "'photosynthesis.pdf' is ready.",
            "status": "COMPLETE",
            "requested": 4,
            "delivered": 4,
        }
    ]
    assert world.committed_of(NotificationRecorded) == [NotificationRecorded(member)]  # the relay is woken once
    assert await world.run_worker() is None


async def test_the_same_idempotency_key_returns_the_same_set_and_creates_nothing() -> None:
    world = World(ScriptedLLM())
    member = await world.member()
    source = await world.source(member)

    first = await world.create(world.request(member, source, key="abc"))
    again = await world.create(world.request(member, source, key="abc"))
    world.clock.advance(timedelta(hours=25))
    later = await world.create(world.request(member, source, key="abc"))

    assert again == first
    assert later != first
    listed = await ListQuestionSets(UnitOfWorkQuestionSetReads(world.db.unit_of_work)).all(member)
    assert sorted(s.id for s in listed.items) == sorted([first, later])


async def test_sources_must_be_ready_and_owned() -> None:
    world = World(ScriptedLLM())
    alice, bob = await world.member("a"), await world.member("b")
    bobs = await world.source(bob)
    waiting = await world.source(alice, status=SourceStatus.UPLOADED)

    for source in (bobs, waiting, 999):
        with pytest.raises(InvalidInput) as refused:
            await world.create(world.request(alice, source))
        assert refused.value.code == "QSE_007"
    async with world.db.unit_of_work() as uow:
        assert await uow.question_sets.all(alice) == []
        assert await uow.jobs.claimable(world.clock.now(), limit=10) == []


async def test_too_many_pending_sets_is_a_429_with_its_code() -> None:
    world = World(ScriptedLLM())
    member = await world.member()
    source = await world.source(member)
    await world.create(world.request(member, source))
    await world.create(world.request(member, source))

    with pytest.raises(TooManyRequests) as refused:
        await world.create(world.request(member, source))
    assert refused.value.code == "QSE_010"


async def test_transient_failures_back_off_then_fail_after_the_last_attempt() -> None:
    world = World(
        ScriptedLLM(GenerationFailed("503"), GenerationFailed("429", retry_after=40), GenerationFailed("500"))
    )
    member = await world.member()
    set_id = await world.create(world.request(member, await world.source(member)))

    assert await world.run_worker() is Outcome.RETRY
    assert await world.run_worker() is None  # backing off: not claimable yet
    world.clock.advance(timedelta(seconds=16))  # the first step is 10 s with ±50 % jitter
    assert await world.run_worker() is Outcome.RETRY
    world.clock.advance(timedelta(seconds=39))
    assert await world.run_worker() is None  # the provider asked for 40 s
    world.clock.advance(timedelta(seconds=2))
    assert await world.run_worker() is Outcome.FAILED

    status, reason, questions = await world.status(set_id)
    assert (status, reason, questions) == (QuestionSetStatus.FAILED, "500", 0)
    assert world.llm.calls == 3
    events = await world.events(member)
    assert [(e["success"], e["status"]) for e in events] == [(False, "FAILED")]
    with pytest.raises(Unprocessable) as failed:
        await world.get(member, set_id)
    assert failed.value.code == "QSE_003"
    assert "500" in failed.value.message


async def test_a_permanent_cause_is_unprocessable_at_once() -> None:
    world = World(ScriptedLLM(GenerationImpossible("daily quota spent")))
    member = await world.member()
    set_id = await world.create(world.request(member, await world.source(member)))

    assert await world.run_worker() is Outcome.UNPROCESSABLE
    assert await world.status(set_id) == (QuestionSetStatus.UNPROCESSABLE, "daily quota spent", 0)
    assert world.llm.calls == 1
    with pytest.raises(Unprocessable) as refused:
        await world.get(member, set_id)
    assert refused.value.code == "QSE_009"


@pytest.mark.parametrize(("pages", "reason"), [(None, "cannot be read"), (51, "has 51 pages; the limit is 50")])
async def test_unreadable_or_too_long_documents_never_reach_the_model(pages: int | None, reason: str) -> None:
    world = World(ScriptedLLM())
    member = await world.member()
    set_id = await world.create(world.request(member, await world.source(member, pages=pages)))

    assert await world.run_worker() is Outcome.UNPROCESSABLE
    status, failure, _ = await world.status(set_id)
    assert status is QuestionSetStatus.UNPROCESSABLE
    assert failure is not None and reason in failure
    assert world.llm.calls == 0


async def test_a_worker_that_lost_its_lease_changes_nothing() -> None:
    world = World(ScriptedLLM())
    member = await world.member()
    set_id = await world.create(world.request(member, await world.source(member)))

    slow = await world.claim("slow-worker")
    assert slow is not None
    world.clock.advance(POLICY.lease + timedelta(seconds=1))  # presumed dead
    assert await world.run_worker("fast-worker") is Outcome.COMPLETE
    assert await world.generate(slow, "slow-worker") is Outcome.LOST_LEASE

    assert await world.status(set_id) == (QuestionSetStatus.COMPLETE, None, 4)
    assert len(await world.events(member)) == 1


async def test_a_job_whose_workers_keep_dying_fails_after_the_allowed_attempts() -> None:
    world = World(ScriptedLLM())
    member = await world.member()
    set_id = await world.create(world.request(member, await world.source(member)))

    for n in range(POLICY.max_attempts):
        assert await world.claim(f"doomed-{n}") is not None
        world.clock.advance(POLICY.lease + timedelta(seconds=1))
    assert await world.claim("survivor") is None

    status, reason, _ = await world.status(set_id)
    assert status is QuestionSetStatus.FAILED
    assert reason == "generation was interrupted too many times"
    assert [e["status"] for e in await world.events(member)] == ["FAILED"]


async def test_stale_pending_sets_fail_and_notify() -> None:
    world = World(ScriptedLLM())
    member = await world.member()
    set_id = await world.create(world.request(member, await world.source(member)))

    expire = ExpireStalePendingSets(world.db.unit_of_work, world.clock, POLICY)
    assert await expire() == 0
    world.clock.advance(timedelta(minutes=61))
    assert await expire() == 1

    assert (await world.status(set_id))[:2] == (QuestionSetStatus.FAILED, "generation took too long")
    assert await world.run_worker() is None
    assert [e["status"] for e in await world.events(member)] == ["FAILED"]


async def test_retry_sends_a_failed_set_back_to_pending_with_fresh_attempts() -> None:
    world = World(ScriptedLLM(GenerationFailed("a"), GenerationFailed("b"), GenerationFailed("c")))
    member = await world.member()
    set_id = await world.create(world.request(member, await world.source(member)))
    for _ in range(3):
        world.clock.advance(timedelta(minutes=5))
        await world.run_worker()
    assert (await world.status(set_id))[0] is QuestionSetStatus.FAILED

    retry = RetryQuestionSet(world.db.unit_of_work, world.clock)
    await retry(member, set_id)
    assert (await world.status(set_id))[0] is QuestionSetStatus.PENDING
    assert world.committed_of(QuestionSetRequested)[-1] == QuestionSetRequested(set_id)  # a worker hears of it
    assert await world.run_worker() is Outcome.COMPLETE
    assert (await world.status(set_id))[0] is QuestionSetStatus.COMPLETE

    with pytest.raises(NotFound):
        await retry(await world.member("other"), set_id)
