"""Solving behaves alike on the fake, SQLite and MariaDB: the note, the outbox, the read model, folders."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from pullit_adapters.memory import ManualClock
from pullit_domain.errors import Conflict
from pullit_domain.model.folder import FolderScope, FolderType
from pullit_domain.model.marking import AnswerKind, SubmittedAnswer
from pullit_domain.model.stats import AnswersMarked, LearningStats
from pullit_domain.model.wrong_answer import WrongAnswer
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.use_cases.folders import CreateFolder, DeleteFolder, FolderDeleteWarning
from pullit_domain.use_cases.marking import MarkAnswers
from pullit_domain.use_cases.stats import ProjectLearningEvents
from tests.support.members import new_member
from tests.support.solving import ready_set, short

KST = timezone(timedelta(hours=9))
AT = datetime(2026, 3, 2, 10, 15, 30, 123456, tzinfo=KST)


async def test_note_entries_round_trip_and_group_per_live_set(uow_factory: UnitOfWorkFactory) -> None:
    me = await new_member(uow_factory)
    folder = await CreateFolder(uow_factory)(me, "Biology", FolderType.QUESTION_SET)
    older = await ready_set(uow_factory, me, [short("a"), short("b")])
    newer = await ready_set(uow_factory, me, [short("c"), short("d"), short("e")], folder_id=folder.id)
    gone = await ready_set(uow_factory, me, [short("f")])
    async with uow_factory() as uow:
        for question_set, question_ids in (
            (older, older.question_ids),
            (newer, newer.question_ids),
            (gone, gone.question_ids),
        ):
            for question_id in question_ids:
                await uow.wrong_answers.add(WrongAnswer(me, question_id, question_set.id, AT, AT))
        deleted = await uow.question_sets.get(me, gone.id)
        assert deleted is not None
        deleted.delete(AT)
        await uow.commit()

    async with uow_factory() as uow:
        entries = await uow.wrong_answers.for_questions(me, [older.question_ids[0], newer.question_ids[2]])
        entries[0].reviewed_correctly(AT + timedelta(minutes=1))
        await uow.commit()

    async with uow_factory() as uow:
        loaded = {e.question_id: e for e in await uow.wrong_answers.for_questions(me, older.question_ids)}
        groups = await uow.wrong_answers.unreviewed_groups(me, None, None, None)
        page = await uow.wrong_answers.unreviewed_groups(me, None, None, 1)
        below = await uow.wrong_answers.unreviewed_groups(me, None, newer.id, 10)
        in_folder = await uow.wrong_answers.unreviewed_groups(me, folder.id, None, None)
        waiting = await uow.wrong_answers.unreviewed_question_ids(me, older.id)

    first = loaded[older.question_ids[0]]
    assert first.created_at == AT.astimezone(UTC) and first.updated_at == (AT + timedelta(minutes=1)).astimezone(UTC)
    assert (first.reviewed, first.incorrect_count, first.question_set_id) == (True, 1, older.id)
    # Newest set first; reviewed entries and deleted sets do not count.
    assert [(g.question_set_id, g.unreviewed_count) for g in groups] == [(newer.id, 3), (older.id, 1)]
    assert [g.question_set_id for g in page] == [newer.id]
    assert [g.question_set_id for g in below] == [older.id]
    assert [g.question_set_id for g in in_folder] == [newer.id]
    assert waiting == {older.question_ids[1]}


async def test_one_entry_per_member_and_question(uow_factory: UnitOfWorkFactory) -> None:
    me = await new_member(uow_factory)
    quiz = await ready_set(uow_factory, me, [short("a")])
    async with uow_factory() as uow:
        await uow.wrong_answers.add(WrongAnswer(me, quiz.question_ids[0], quiz.id, AT, AT))
        await uow.commit()
    with pytest.raises(Conflict):
        async with uow_factory() as uow:
            await uow.wrong_answers.add(WrongAnswer(me, quiz.question_ids[0], quiz.id, AT, AT))
            await uow.commit()


async def test_events_are_projected_once_into_stats_days_and_solved_sets(uow_factory: UnitOfWorkFactory) -> None:
    me = await new_member(uow_factory)
    quiz = await ready_set(uow_factory, me, [short("a")])
    other = await ready_set(uow_factory, me, [short("b")])
    # 23:30 UTC on March 1st is already March 2nd in Seoul.
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    async with uow_factory() as uow:
        await uow.domain_events.record(AnswersMarked(me, (quiz.id,), 3, 2, False, late).event())
        await uow.domain_events.record(
            AnswersMarked(me, (quiz.id, other.id), 4, 1, True, late + timedelta(days=1)).event()
        )
        await uow.commit()

    clock = ManualClock(datetime(2026, 3, 3, tzinfo=UTC))
    projector = ProjectLearningEvents(uow_factory, clock, ZoneInfo("Asia/Seoul"))
    async with uow_factory() as uow:
        pending = await uow.domain_events.unprocessed(10, me)
    assert [AnswersMarked.of(e).solved for e in pending] == [3, 4]
    assert await projector.for_member(me) == 2
    assert [await projector.apply(event) for event in pending] == [False, False]
    assert await projector.for_member(me) == 0

    async with uow_factory() as uow:
        stats = await uow.learning_stats.get(me)
        days = await uow.learning_stats.daily(me, date(2026, 3, 1), date(2026, 3, 31))
        solved = await uow.learning_stats.solved_set_ids(me)
        left = await uow.domain_events.unprocessed(10, me)
    assert stats is not None
    assert (stats.solved_set_count, stats.solved_question_count, stats.correct_question_count) == (2, 7, 3)
    assert (stats.streak, stats.last_active_on, stats.week_of) == (2, date(2026, 3, 3), date(2026, 3, 2))
    assert stats.weekly_solved_question_count == 7
    assert [(d.day, d.solved_question_count) for d in days] == [(date(2026, 3, 2), 3), (date(2026, 3, 3), 4)]
    assert solved == {quiz.id, other.id}
    assert left == []


async def test_read_model_rows_are_per_member(uow_factory: UnitOfWorkFactory) -> None:
    me, other = await new_member(uow_factory), await new_member(uow_factory)
    async with uow_factory() as uow:
        await uow.learning_stats.save(LearningStats(member_id=me, solved_set_count=5, week_of=date(2026, 3, 2)))
        await uow.learning_stats.add_daily(me, date(2026, 3, 2), 4)
        await uow.learning_stats.add_daily(me, date(2026, 3, 2), 1)
        assert await uow.learning_stats.claim_event(10_001, AT)
        assert not await uow.learning_stats.claim_event(10_001, AT)
        await uow.commit()

    async with uow_factory() as uow:
        mine = await uow.learning_stats.get(me)
        theirs = await uow.learning_stats.get(other)
        my_days = await uow.learning_stats.daily(me, date(2026, 3, 2), date(2026, 3, 2))
        their_days = await uow.learning_stats.daily(other, date(2026, 3, 1), date(2026, 3, 31))
        claimed_again = await uow.learning_stats.claim_event(10_001, AT)
    assert mine is not None and (mine.solved_set_count, mine.week_of) == (5, date(2026, 3, 2))
    assert theirs is None
    assert [(d.day, d.solved_question_count) for d in my_days] == [(date(2026, 3, 2), 5)]
    assert their_days == []
    assert claimed_again is False


async def test_concurrent_submissions_of_one_wrong_answer_keep_one_note_entry(uow_factory: UnitOfWorkFactory) -> None:
    me = await new_member(uow_factory)
    quiz = await ready_set(uow_factory, me, [short("a"), short("b")])
    clock = ManualClock(datetime(2026, 3, 3, tzinfo=UTC))
    projector = ProjectLearningEvents(uow_factory, clock, ZoneInfo("Asia/Seoul"))
    mark = MarkAnswers(uow_factory, clock, None, 0.6, projector)
    wrong = [SubmittedAnswer(quiz.question_ids[0], "x", AnswerKind.STRING)]

    await asyncio.gather(*(mark(me, wrong, reviewing=False) for _ in range(2)))

    async with uow_factory() as uow:
        entries = await uow.wrong_answers.for_questions(me, quiz.question_ids)
        stats = await uow.learning_stats.get(me)
        left = await uow.domain_events.unprocessed(10, me)
    assert [(e.question_id, e.incorrect_count) for e in entries] == [(quiz.question_ids[0], 2)]
    assert stats is not None and (stats.solved_set_count, stats.solved_question_count) == (2, 2)
    assert left == []


async def test_deleting_a_folder_moves_its_sets_to_all_in_one_transaction(uow_factory: UnitOfWorkFactory) -> None:
    me = await new_member(uow_factory)
    folder = await CreateFolder(uow_factory)(me, "Physics", FolderType.QUESTION_SET)
    assert folder.id is not None
    filed = await ready_set(uow_factory, me, [short("a")], folder_id=folder.id)

    assert await FolderDeleteWarning(uow_factory)(me, folder.id) == 1
    await DeleteFolder(uow_factory)(me, folder.id)

    async with uow_factory() as uow:
        moved = await uow.question_sets.get(me, filed.id)
        remaining = await uow.folders.list(me, FolderType.QUESTION_SET)
    assert [(f.name, f.scope) for f in remaining] == [("전체", FolderScope.ALL)]
    assert moved is not None and moved.folder_id == remaining[0].id
