"""The question-set read port answers alike on the fake, SQLite and MariaDB: owner-scoped, no deleted sets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from pullit_adapters.memory.question_set_reads import UnitOfWorkQuestionSetReads
from pullit_adapters.sql.reads_question_sets import SqlQuestionSetReads
from pullit_domain.model.folder import FolderType
from pullit_domain.model.question import QuestionType
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.ports.question_set_reads import QuestionSetReads
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.use_cases.folders import CreateFolder
from tests.support.database import READ_BACKENDS, reads_on
from tests.support.members import new_member
from tests.support.solving import choice, ready_set, short, true_false

AT = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)


@pytest.fixture(params=READ_BACKENDS)
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[tuple[UnitOfWorkFactory, QuestionSetReads]]:
    async with reads_on(request, UnitOfWorkQuestionSetReads, SqlQuestionSetReads) as pair:
        yield pair


async def test_a_set_reads_with_its_folder_name_and_questions_in_order(
    backend: tuple[UnitOfWorkFactory, QuestionSetReads],
) -> None:
    uow_factory, reads = backend
    me, someone = await new_member(uow_factory), await new_member(uow_factory)
    folder = await CreateFolder(uow_factory)(me, "Biology", FolderType.QUESTION_SET)
    specs = [choice("a", "b", "c"), true_false(True), short("leaf")]
    made = await ready_set(uow_factory, me, specs, folder_id=folder.id)

    found = await reads.with_questions(me, made.id)

    assert found is not None
    question_set, questions = found
    assert (question_set.id, question_set.member_id, question_set.folder_name) == (made.id, me, "Biology")
    assert question_set.status is QuestionSetStatus.COMPLETE
    assert [q.id for q in questions] == made.question_ids
    assert [q.question_type for q in questions] == [
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.TRUE_FALSE,
        QuestionType.SHORT_ANSWER,
    ]
    assert questions[0].options == ["a", "b", "c"] and questions[1].options is None
    assert await reads.with_questions(someone, made.id) is None


async def test_pages_are_newest_first_owner_scoped_and_skip_deleted_sets(
    backend: tuple[UnitOfWorkFactory, QuestionSetReads],
) -> None:
    uow_factory, reads = backend
    me, someone = await new_member(uow_factory), await new_member(uow_factory)
    folder = await CreateFolder(uow_factory)(me, "Biology", FolderType.QUESTION_SET)
    sets = [(await ready_set(uow_factory, me, [short("a")], title=f"Set {n}")).id for n in range(4)]
    filed = (await ready_set(uow_factory, me, [short("a")], folder_id=folder.id)).id
    await ready_set(uow_factory, someone, [short("a")])
    async with uow_factory() as uow:
        gone = await uow.question_sets.get(me, sets[1])
        assert gone is not None
        gone.delete(AT)
        await uow.commit()

    assert [s.id for s in await reads.page(me, None, None, 3)] == [filed, sets[3], sets[2]]
    assert [s.id for s in await reads.page(me, None, sets[2], 10)] == [sets[0]]
    assert [(s.id, s.folder_name) for s in await reads.page(me, folder.id, None, 10)] == [(filed, "Biology")]
    assert [s.id for s in await reads.all(me)] == [filed, sets[3], sets[2], sets[0]]
    assert await reads.has_folder(me, folder.id)
    assert not await reads.has_folder(someone, folder.id)


async def test_progress_counts_complete_live_sets_solved_at_least_once(
    backend: tuple[UnitOfWorkFactory, QuestionSetReads],
) -> None:
    uow_factory, reads = backend
    me = await new_member(uow_factory)
    assert await reads.learning_progress(me) == 0
    solved = await ready_set(uow_factory, me, [short("a")])
    await ready_set(uow_factory, me, [short("a")])
    await ready_set(uow_factory, me, [short("a")])
    await ready_set(uow_factory, me, [], status=QuestionSetStatus.PENDING)
    async with uow_factory() as uow:
        await uow.learning_stats.add_solved_sets(me, [solved.id], AT)
        await uow.commit()

    assert await reads.learning_progress(me) == 33
