"""The source-list read port answers alike on the fake, SQLite and MariaDB: owner-scoped, no deleted sources."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from pullit_adapters.memory.source_reads import UnitOfWorkSourceReads
from pullit_adapters.sql.reads_sources import SqlSourceReads
from pullit_domain.model.source import SourceStatus
from pullit_domain.ports.source_reads import SourceReads
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from tests.support.database import READ_BACKENDS, reads_on
from tests.support.members import new_member
from tests.support.solving import ready_set, short
from tests.support.source_rows import source_rows

T0 = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(params=READ_BACKENDS)
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[tuple[UnitOfWorkFactory, SourceReads]]:
    async with reads_on(request, UnitOfWorkSourceReads, SqlSourceReads) as pair:
        yield pair


async def test_the_list_is_newest_first_owner_scoped_and_skips_deleted_sources(
    backend: tuple[UnitOfWorkFactory, SourceReads],
) -> None:
    uow_factory, reads = backend
    me, someone = await new_member(uow_factory), await new_member(uow_factory)
    later = T0 + timedelta(minutes=1)
    older, deleted, first_twin, second_twin = await source_rows(
        uow_factory,
        me,
        ("older.pdf", T0, SourceStatus.READY),
        ("deleted.pdf", later, SourceStatus.DELETED),
        ("twin-1.pdf", later, SourceStatus.UPLOADED),
        ("twin-2.pdf", later, SourceStatus.READY),
    )
    await source_rows(uow_factory, someone, ("theirs.pdf", later, SourceStatus.READY))

    listed = await reads.all(me)

    # Uploaded in the same instant: the later upload (higher id) first.
    assert [s.id for s in listed] == [second_twin, first_twin, older]
    assert deleted not in [s.id for s in listed]
    assert [(s.original_name, s.status, s.page_count) for s in listed] == [
        ("twin-2.pdf", SourceStatus.READY, 3),
        ("twin-1.pdf", SourceStatus.UPLOADED, None),
        ("older.pdf", SourceStatus.READY, 3),
    ]
    assert {(s.folder_name, s.size_bytes) for s in listed} == {("기본 폴더", 3314)}
    assert listed[-1].created_at == T0
    assert await reads.all(await new_member(uow_factory)) == []


async def test_each_source_counts_the_live_question_sets_made_from_it(
    backend: tuple[UnitOfWorkFactory, SourceReads],
) -> None:
    uow_factory, reads = backend
    me, someone = await new_member(uow_factory), await new_member(uow_factory)
    first, second, unused = await source_rows(
        uow_factory,
        me,
        ("first.pdf", T0, SourceStatus.READY),
        ("second.pdf", T0, SourceStatus.READY),
        ("unused.pdf", T0, SourceStatus.READY),
    )
    made = [
        (me, [first, second], 1, False),
        (me, [first], 2, False),
        (me, [first], 3, True),  # deleted: no longer counts
        (someone, [second], 4, False),  # not the member's set
    ]
    for owner, named, hours, deleted in made:
        quiz = await ready_set(uow_factory, owner, [short("a")])
        async with uow_factory() as uow:
            question_set = await uow.question_sets.get(owner, quiz.id)
            assert question_set is not None
            question_set.source_ids = named
            question_set.created_at = T0 + timedelta(hours=hours)
            if deleted:
                question_set.delete(T0 + timedelta(hours=hours))
            await uow.commit()

    figures = {s.id: (s.question_set_count, s.recent_question_generated_at) for s in await reads.all(me)}

    assert figures == {
        first: (2, T0 + timedelta(hours=2)),
        second: (1, T0 + timedelta(hours=1)),
        unused: (0, None),
    }
