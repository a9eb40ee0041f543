"""Learning sources in SQL, and the seam where question-set figures join the source list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import registry

from pullit_adapters.sql import tables
from pullit_domain.model.source import (
    LearningSource,
    PendingObjectDeletion,
    SourceFolder,
    SourceStatus,
    SourceSummary,
)


def map_sources(mapper_registry: registry) -> None:
    mapper_registry.map_imperatively(SourceFolder, tables.source_folders)
    mapper_registry.map_imperatively(LearningSource, tables.learning_sources)
    mapper_registry.map_imperatively(PendingObjectDeletion, tables.pending_object_deletions)


async def question_set_figures(
    session: AsyncSession | AsyncConnection, member_id: int, source_ids: Sequence[int]
) -> dict[int, tuple[int, datetime | None]]:
    """Per source: how many live question sets were made from it and when the latest was asked for.

    Question sets keep their sources as a JSON list, which MariaDB and SQLite query in different
    dialects; one member's live sets are few, so they are counted here instead.
    """
    if not source_ids:
        return {}
    wanted = set(source_ids)
    sets = tables.question_sets.c
    rows = await session.execute(
        select(sets.source_ids, sets.created_at).where(sets.member_id == member_id, sets.deleted_at.is_(None))
    )
    figures: dict[int, tuple[int, datetime | None]] = {}
    for named, created_at in rows:
        for source_id in set(named or ()) & wanted:
            count, latest = figures.get(source_id, (0, None))
            figures[source_id] = (count + 1, created_at if latest is None or created_at > latest else latest)
    return figures


class SqlSourceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, source: LearningSource) -> None:
        self._session.add(source)
        await self._session.flush()

    async def get(self, member_id: int, source_id: int) -> LearningSource | None:
        query = select(LearningSource).where(
            tables.learning_sources.c.id == source_id,
            tables.learning_sources.c.member_id == member_id,
            tables.learning_sources.c.status != SourceStatus.DELETED,
        )
        return (await self._session.scalars(query)).one_or_none()

    async def by_id(self, source_id: int) -> LearningSource | None:
        return await self._session.get(LearningSource, source_id)

    async def by_key(self, object_key: str) -> LearningSource | None:
        return (await self._session.scalars(select(LearningSource).filter_by(object_key=object_key))).one_or_none()

    async def summaries(self, member_id: int) -> list[SourceSummary]:
        sources = tables.learning_sources.c
        query = (
            select(LearningSource, tables.source_folders.c.name)
            .join(tables.source_folders, tables.source_folders.c.id == sources.folder_id)
            .where(sources.member_id == member_id, sources.status != SourceStatus.DELETED)
            .order_by(sources.created_at.desc(), sources.id.desc())
        )
        rows = (await self._session.execute(query)).all()
        figures = await question_set_figures(self._session, member_id, [source.id for source, _ in rows])
        return [SourceSummary(source, name, *figures.get(source.id, (0, None))) for source, name in rows]

    async def awaiting_pages(self, limit: int) -> list[LearningSource]:
        query = (
            select(LearningSource)
            .where(tables.learning_sources.c.status == SourceStatus.UPLOADED)
            .order_by(tables.learning_sources.c.id)
            .limit(limit)
        )
        return list((await self._session.scalars(query)).all())

    async def settle_upload(self, source_id: int, status: SourceStatus, page_count: int | None) -> bool:
        # A conditional UPDATE, so a deletion committed meanwhile is never overwritten.
        sources = tables.learning_sources
        result = await self._session.execute(
            update(sources)
            .where(sources.c.id == source_id, sources.c.status == SourceStatus.UPLOADED)
            .values(status=status, page_count=page_count)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def default_folder(self, member_id: int) -> SourceFolder | None:
        query = (
            select(SourceFolder).filter_by(member_id=member_id, is_default=True).order_by(tables.source_folders.c.id)
        )
        return (await self._session.scalars(query.limit(1))).first()

    async def add_folder(self, folder: SourceFolder) -> None:
        self._session.add(folder)
        await self._session.flush()

    async def add_pending_deletion(self, pending: PendingObjectDeletion) -> None:
        self._session.add(pending)
        await self._session.flush()

    async def pending_deletions(self, limit: int) -> list[PendingObjectDeletion]:
        query = select(PendingObjectDeletion).order_by(tables.pending_object_deletions.c.id).limit(limit)
        return list((await self._session.scalars(query)).all())

    async def remove_pending_deletion(self, pending: PendingObjectDeletion) -> None:
        # By id, not through the session: the entity usually comes from an earlier unit of work.
        await self._session.execute(
            delete(tables.pending_object_deletions).where(tables.pending_object_deletions.c.id == pending.id)
        )
