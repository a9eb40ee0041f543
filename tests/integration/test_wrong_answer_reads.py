"""The wrong-answer note's read port answers alike on the fake, SQLite and MariaDB: owner-scoped,
newest set first, no deleted sets, reviewed answers not counted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from pullit_adapters.memory.wrong_answer_reads import UnitOfWorkWrongAnswerReads
from pullit_adapters.sql.reads_wrong_answers import SqlWrongAnswerReads
from pullit_domain.model.folder import FolderScope, FolderType
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.source import SourceStatus
from pullit_domain.model.wrong_answer import WrongAnswer
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.ports.wrong_answer_reads import WrongAnswerReads
from pullit_domain.use_cases.folders import CreateFolder
from pullit_domain.use_cases.question_sets import all_folder
from tests.support.database import READ_BACKENDS, reads_on
from tests.support.members import new_member
from tests.support.solving import ReadySet, choice, ready_set, short
from tests.support.source_rows import source_rows

AT = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)
READY = SourceStatus.READY


@pytest.fixture(params=READ_BACKENDS)
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[tuple[UnitOfWorkFactory, WrongAnswerReads]]:
    async with reads_on(request, UnitOfWorkWrongAnswerReads, SqlWrongAnswerReads) as pair:
        yield pair


async def answered_wrong(uow_factory: UnitOfWorkFactory, member_id: int, quiz: ReadySet, *reviewed: int) -> None:
    """Every question of ``quiz`` in the note; the ``reviewed`` ones (positions) already settled."""
    async with uow_factory() as uow:
        for position, question_id in enumerate(quiz.question_ids):
            entry = WrongAnswer(member_id, question_id, quiz.id, AT, AT)
            if position in reviewed:
                entry.reviewed_correctly(AT)
            await uow.wrong_answers.add(entry)
        await uow.commit()


async def made_from(uow_factory: UnitOfWorkFactory, member_id: int, set_id: int, source_ids: list[int]) -> None:
    async with uow_factory() as uow:
        question_set = await uow.question_sets.get(member_id, set_id)
        assert question_set is not None
        question_set.source_ids = source_ids
        await uow.commit()


async def test_the_note_lists_live_sets_with_waiting_answers_newest_first(
    backend: tuple[UnitOfWorkFactory, WrongAnswerReads],
) -> None:
    uow_factory, reads = backend
    me, someone = await new_member(uow_factory), await new_member(uow_factory)
    biology = await CreateFolder(uow_factory)(me, "Biology", FolderType.QUESTION_SET)
    oldest = await ready_set(uow_factory, me, [short("a"), short("b")], title="Oldest")
    settled = await ready_set(uow_factory, me, [short("a")])
    filed = await ready_set(uow_factory, me, [choice("a", "b"), short("b"), short("c")], folder_id=biology.id)
    gone = await ready_set(uow_factory, me, [short("a")])
    theirs = await ready_set(uow_factory, someone, [short("a")])
    await answered_wrong(uow_factory, me, oldest, 0)
    await answered_wrong(uow_factory, me, settled, 0)
    await answered_wrong(uow_factory, me, filed)
    await answered_wrong(uow_factory, me, gone)
    await answered_wrong(uow_factory, someone, theirs)
    async with uow_factory() as uow:
        deleted = await uow.question_sets.get(me, gone.id)
        assert deleted is not None
        deleted.delete(AT)
        await uow.commit()

    listed = await reads.sets(me, None, None, None)

    assert [(s.question_set_id, s.unreviewed_count) for s in listed] == [(filed.id, 3), (oldest.id, 1)]
    newest, older = listed
    assert (newest.title, newest.question_type, newest.difficulty) == (
        "Photosynthesis",
        QuestionType.MULTIPLE_CHOICE,
        Difficulty.EASY,
    )
    assert (newest.folder_name, older.folder_name, older.title) == ("Biology", "전체", "Oldest")
    assert [s.question_set_id for s in await reads.sets(me, None, None, 1)] == [filed.id]
    assert [s.question_set_id for s in await reads.sets(me, None, filed.id, 10)] == [oldest.id]
    assert [s.question_set_id for s in await reads.sets(me, biology.id, None, None)] == [filed.id]
    assert [s.question_set_id for s in await reads.sets(someone, None, None, None)] == [theirs.id]


async def test_sets_name_the_members_sources_in_order_deleted_ones_too(
    backend: tuple[UnitOfWorkFactory, WrongAnswerReads],
) -> None:
    uow_factory, reads = backend
    me, someone = await new_member(uow_factory), await new_member(uow_factory)
    first, dropped = await source_rows(uow_factory, me, ("first.pdf", AT, READY), ("dropped.pdf", AT, READY))
    (foreign,) = await source_rows(uow_factory, someone, ("theirs.pdf", AT, READY))
    async with uow_factory() as uow:
        source = await uow.sources.get(me, dropped)
        assert source is not None
        source.delete(AT)
        await uow.commit()
    quiz = await ready_set(uow_factory, me, [short("a")])
    await made_from(uow_factory, me, quiz.id, [dropped, foreign, first])
    await answered_wrong(uow_factory, me, quiz)

    (listed,) = await reads.sets(me, None, None, None)

    assert listed.source_names == ["dropped.pdf", "first.pdf"]


async def test_folder_scopes_are_the_members_own(backend: tuple[UnitOfWorkFactory, WrongAnswerReads]) -> None:
    uow_factory, reads = backend
    me, someone = await new_member(uow_factory), await new_member(uow_factory)
    custom = await CreateFolder(uow_factory)(me, "Chemistry", FolderType.WRONG_ANSWER)
    async with uow_factory() as uow:
        everything = await all_folder(uow, me)
    assert custom.id is not None

    assert await reads.folder_scope(me, everything) is FolderScope.ALL
    assert await reads.folder_scope(me, custom.id) is FolderScope.CUSTOM
    assert await reads.folder_scope(someone, custom.id) is None
