"""The notification log: per-member numbering, replay, outbox bookkeeping, on the fake and both databases."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from pullit_adapters.memory import ManualClock
from pullit_domain.model.notification import MemberEvent, Notification, QuestionSetCompletion
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.use_cases.notifications import RecordNotification
from tests.support.members import new_member

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


async def record(uow_factory: UnitOfWorkFactory, member_id: int, text: str) -> MemberEvent:
    async with uow_factory() as uow:
        event = await uow.notifications.record(member_id, Notification("note", json.dumps({"text": text})), NOW)
        await uow.commit()
    return event


async def test_ids_count_up_per_member_and_replay_after_a_given_id(uow_factory: UnitOfWorkFactory) -> None:
    alice, bob = await new_member(uow_factory), await new_member(uow_factory)
    first = await record(uow_factory, alice, "a1")
    await record(uow_factory, bob, "b1")
    second = await record(uow_factory, alice, "a2")
    third = await record(uow_factory, alice, "a3")

    assert [first.id, second.id, third.id] == [1, 2, 3]
    async with uow_factory() as uow:
        assert await uow.notifications.latest_id(alice) == 3
        assert await uow.notifications.latest_id(bob) == 1
        assert await uow.notifications.latest_id(10**9) == 0
        replay = await uow.notifications.after(alice, 1)
        everything = await uow.notifications.after(alice, 0)
        paged = await uow.notifications.after(alice, 0, limit=2)
    assert [(e.id, json.loads(e.data)["text"]) for e in replay] == [(2, "a2"), (3, "a3")]
    assert [e.id for e in everything] == [1, 2, 3]
    assert [e.id for e in paged] == [1, 2]
    assert all(e.member_id == alice and e.name == "note" for e in everything)


async def test_a_rolled_back_notification_never_existed_and_its_id_is_reused(uow_factory: UnitOfWorkFactory) -> None:
    member = await new_member(uow_factory)
    await record(uow_factory, member, "kept")
    async with uow_factory() as uow:
        await uow.notifications.record(member, Notification("note", "{}"), NOW)
        # leaves without commit: the state change and its notification go together

    async with uow_factory() as uow:
        assert await uow.notifications.latest_id(member) == 1
        unpublished = [e.event for e in await uow.notifications.unpublished(100) if e.event.member_id == member]
    assert [e.id for e in unpublished] == [1]
    assert (await record(uow_factory, member, "next")).id == 2


async def test_concurrent_writers_for_one_member_get_distinct_consecutive_ids(uow_factory: UnitOfWorkFactory) -> None:
    member = await new_member(uow_factory)
    events = await asyncio.gather(*(record(uow_factory, member, f"n{i}") for i in range(12)))

    assert sorted(e.id for e in events) == list(range(1, 13))
    async with uow_factory() as uow:
        stored = await uow.notifications.after(member, 0)
    assert [e.id for e in stored] == list(range(1, 13))
    assert sorted(json.loads(e.data)["text"] for e in stored) == sorted(f"n{i}" for i in range(12))


async def test_the_relay_sees_each_entry_until_it_is_marked_published(uow_factory: UnitOfWorkFactory) -> None:
    member = await new_member(uow_factory)
    for text in ("x", "y", "z"):
        await record(uow_factory, member, text)

    async with uow_factory() as uow:
        mine = [e for e in await uow.notifications.unpublished(1000) if e.event.member_id == member]
    assert [e.event.id for e in mine] == [1, 2, 3]
    assert len({e.row_id for e in mine}) == 3

    async with uow_factory() as uow:
        await uow.notifications.mark_published([mine[0].row_id, mine[1].row_id], NOW)
        await uow.commit()
    async with uow_factory() as uow:
        left = [e for e in await uow.notifications.unpublished(1000) if e.event.member_id == member]
        replay = await uow.notifications.after(member, 0)
    assert [e.event.id for e in left] == [3]
    # Publishing changes nothing about replay.
    assert [e.id for e in replay] == [1, 2, 3]


async def test_question_set_completion_is_recorded_with_the_contract_payload(uow_factory: UnitOfWorkFactory) -> None:
    member = await new_member(uow_factory)
    record_notification = RecordNotification(ManualClock(NOW))
    async with uow_factory() as uow:
        done = await record_notification(uow, member, QuestionSetCompletion.complete(41, "문제집이 준비되었습니다."))
        failed = await record_notification(uow, member, QuestionSetCompletion.failed(42, "Gemini refused"))
        await uow.commit()

    assert (done.name, failed.name) == ("questionSetCreationComplete", "questionSetCreationComplete")
    async with uow_factory() as uow:
        stored = await uow.notifications.after(member, 0)
    assert [json.loads(e.data) for e in stored] == [
        {"success": True, "questionSetId": 41, "message": "문제집이 준비되었습니다.", "status": "COMPLETE"},
        {"success": False, "questionSetId": 42, "message": "Gemini refused", "status": "FAILED"},
    ]
    unprocessable = json.loads(QuestionSetCompletion.unprocessable(43, "no text in the PDF").notification().data)
    assert unprocessable == {
        "success": False,
        "questionSetId": 43,
        "message": "no text in the PDF",
        "status": "UNPROCESSABLE",
    }
