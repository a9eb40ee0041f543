"""The source repository contract on the in-memory fake, SQLite and MariaDB (``uow_factory``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from pullit_domain.errors import Conflict
from pullit_domain.model.folder import CommonFolder, FolderType
from pullit_domain.model.member import Member
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import QuestionSet
from pullit_domain.model.source import (
    LearningSource,
    PendingObjectDeletion,
    SourceFolder,
    SourceStatus,
    new_upload_id,
    object_key,
)
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory

T0 = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


async def new_member(uow_factory: UnitOfWorkFactory) -> tuple[int, int]:
    """A member with their default source folder: (member id, folder id)."""
    subject = uuid.uuid4().hex
    async with uow_factory() as uow:
        member = Member(
            name="L", email=f"{subject}@example.test", provider="t", provider_subject=subject, created_at=T0
        )
        await uow.members.add(member)
        assert member.id is not None
        folder = SourceFolder(member_id=member.id, name="기본 폴더")
        await uow.sources.add_folder(folder)
        await uow.commit()
    assert folder.id is not None
    return member.id, folder.id


def source(member_id: int, folder_id: int, at: datetime, name: str = "a.pdf") -> LearningSource:
    return LearningSource(
        member_id=member_id,
        folder_id=folder_id,
        object_key=object_key(member_id, new_upload_id(), at),
        original_name=name,
        content_type="application/pdf",
        size_bytes=3314,
        created_at=at,
    )


async def test_sources_are_listed_newest_first_with_their_folder(uow_factory: UnitOfWorkFactory) -> None:
    member_id, folder_id = await new_member(uow_factory)
    other_id, other_folder = await new_member(uow_factory)
    async with uow_factory() as uow:
        older = source(member_id, folder_id, T0, "older.pdf")
        newer = source(member_id, folder_id, T0 + timedelta(minutes=1), "newer.pdf")
        for item in (older, newer, source(other_id, other_folder, T0)):
            await uow.sources.add(item)
        await uow.commit()

    async with uow_factory() as uow:
        listed = await uow.sources.summaries(member_id)

    assert [s.source.original_name for s in listed] == ["newer.pdf", "older.pdf"]
    assert {s.folder_name for s in listed} == {"기본 폴더"}
    assert [(s.question_set_count, s.recent_question_generated_at) for s in listed] == [(0, None), (0, None)]
    assert listed[1].source.created_at == T0


async def test_lookups_are_scoped_to_the_owner_and_hide_deleted(uow_factory: UnitOfWorkFactory) -> None:
    member_id, folder_id = await new_member(uow_factory)
    other_id, _ = await new_member(uow_factory)
    async with uow_factory() as uow:
        item = source(member_id, folder_id, T0)
        await uow.sources.add(item)
        await uow.commit()
    assert item.id is not None

    async with uow_factory() as uow:
        assert await uow.sources.get(other_id, item.id) is None
        mine = await uow.sources.get(member_id, item.id)
        assert mine is not None
        mine.delete(T0)
        await uow.commit()

    async with uow_factory() as uow:
        assert await uow.sources.get(member_id, item.id) is None
        assert await uow.sources.summaries(member_id) == []
        kept = await uow.sources.by_key(item.object_key)
        assert kept is not None and kept.status is SourceStatus.DELETED


async def test_one_object_key_is_recorded_once(uow_factory: UnitOfWorkFactory) -> None:
    member_id, folder_id = await new_member(uow_factory)
    first = source(member_id, folder_id, T0)
    async with uow_factory() as uow:
        await uow.sources.add(first)
        await uow.commit()

    twin = source(member_id, folder_id, T0)
    twin.object_key = first.object_key
    with pytest.raises(Conflict):
        async with uow_factory() as uow:
            await uow.sources.add(twin)
            await uow.commit()


async def test_settling_an_upload_never_revives_a_deleted_source(uow_factory: UnitOfWorkFactory) -> None:
    member_id, folder_id = await new_member(uow_factory)
    waiting, deleted = source(member_id, folder_id, T0), source(member_id, folder_id, T0)
    deleted.delete(T0)
    async with uow_factory() as uow:
        await uow.sources.add(waiting)
        await uow.sources.add(deleted)
        await uow.commit()
    assert waiting.id is not None and deleted.id is not None

    async with uow_factory() as uow:
        assert waiting.id in [s.id for s in await uow.sources.awaiting_pages(1000)]
        assert await uow.sources.settle_upload(waiting.id, SourceStatus.READY, 3)
        assert not await uow.sources.settle_upload(deleted.id, SourceStatus.READY, 3)
        await uow.commit()

    async with uow_factory() as uow:
        ready, gone = await uow.sources.by_id(waiting.id), await uow.sources.by_id(deleted.id)
        assert waiting.id not in [s.id for s in await uow.sources.awaiting_pages(1000)]
    assert ready is not None and (ready.status, ready.page_count) == (SourceStatus.READY, 3)
    assert gone is not None and gone.status is SourceStatus.DELETED


async def test_pending_deletions_are_kept_until_removed(uow_factory: UnitOfWorkFactory) -> None:
    key = f"learning-sources/2026/03/01/member-1/{new_upload_id()}.pdf"
    async with uow_factory() as uow:
        await uow.sources.add_pending_deletion(PendingObjectDeletion(object_key=key, created_at=T0))
        await uow.commit()

    async with uow_factory() as uow:
        owed = [p for p in await uow.sources.pending_deletions(1000) if p.object_key == key]
    assert len(owed) == 1
    async with uow_factory() as uow:
        await uow.sources.remove_pending_deletion(owed[0])
        await uow.commit()
    async with uow_factory() as uow:
        assert [p for p in await uow.sources.pending_deletions(1000) if p.object_key == key] == []


async def test_a_member_has_one_default_folder(uow_factory: UnitOfWorkFactory) -> None:
    member_id, folder_id = await new_member(uow_factory)

    async with uow_factory() as uow:
        folder = await uow.sources.default_folder(member_id)
    assert folder is not None and (folder.id, folder.name) == (folder_id, "기본 폴더")
    with pytest.raises(Conflict):
        async with uow_factory() as uow:
            await uow.sources.add_folder(SourceFolder(member_id=member_id, name="기본 폴더"))
            await uow.commit()


async def test_the_list_counts_live_question_sets_made_from_each_source(uow_factory: UnitOfWorkFactory) -> None:
    member_id, folder_id = await new_member(uow_factory)
    async with uow_factory() as uow:
        first, second = source(member_id, folder_id, T0, "first.pdf"), source(member_id, folder_id, T0, "second.pdf")
        await uow.sources.add(first)
        await uow.sources.add(second)
        common = CommonFolder.default_for(member_id, FolderType.QUESTION_SET)
        await uow.folders.add(common)
        assert first.id is not None and second.id is not None and common.id is not None
        for hours, named, deleted in [(1, [first.id, second.id], False), (2, [first.id], False), (3, [first.id], True)]:
            at = T0 + timedelta(hours=hours)
            made = QuestionSet(
                member_id=member_id,
                title="t",
                question_type=QuestionType.MULTIPLE_CHOICE,
                difficulty=Difficulty.EASY,
                question_count=3,
                source_ids=named,
                folder_id=common.id,
                created_at=at,
                updated_at=at,
                deleted_at=at if deleted else None,
            )
            await uow.question_sets.add(made)
        await uow.commit()

    async with uow_factory() as uow:
        figures = {
            s.source.original_name: (s.question_set_count, s.recent_question_generated_at)
            for s in await uow.sources.summaries(member_id)
        }

    assert figures == {"first.pdf": (2, T0 + timedelta(hours=2)), "second.pdf": (1, T0 + timedelta(hours=1))}
