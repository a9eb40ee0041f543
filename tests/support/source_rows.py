"""Sources written straight into a database, as the upload and page-count steps would leave them."""

from __future__ import annotations

from datetime import datetime

from pullit_domain.model.source import LearningSource, SourceFolder, SourceStatus, new_upload_id, object_key
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory


async def ready_source_row(
    uow_factory: UnitOfWorkFactory,
    member_id: int,
    key: str,
    name: str,
    size: int,
    now: datetime,
    status: SourceStatus = SourceStatus.READY,
    pages: int | None = 3,
) -> int:
    """The member's default source folder and one source in it (READY, three pages); the source's id."""
    async with uow_factory() as uow:
        folder = SourceFolder(member_id=member_id, name="기본 폴더")
        await uow.sources.add_folder(folder)
        assert folder.id is not None
        source = LearningSource(
            member_id=member_id,
            folder_id=folder.id,
            object_key=key,
            original_name=name,
            content_type="application/pdf",
            size_bytes=size,
            created_at=now,
            status=status,
            page_count=pages,
        )
        await uow.sources.add(source)
        await uow.commit()
    assert source.id is not None
    return source.id


async def source_rows(
    uow_factory: UnitOfWorkFactory, member_id: int, *named: tuple[str, datetime, SourceStatus]
) -> list[int]:
    """The member's default source folder with a source per (name, upload time, status) in it
    (READY ones of three pages); their ids in that order."""
    async with uow_factory() as uow:
        folder = SourceFolder(member_id=member_id, name="기본 폴더")
        await uow.sources.add_folder(folder)
        assert folder.id is not None
        sources = [
            LearningSource(
                member_id=member_id,
                folder_id=folder.id,
                object_key=object_key(member_id, new_upload_id(), at),
                original_name=name,
                content_type="application/pdf",
                size_bytes=3314,
                created_at=at,
                status=status,
                page_count=3 if status is SourceStatus.READY else None,
            )
            for name, at, status in named
        ]
        for source in sources:
            await uow.sources.add(source)
        await uow.commit()
    return [source.id for source in sources if source.id is not None]
