from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pullit_domain.errors import Conflict
from pullit_domain.model.source import (
    LearningSource,
    PendingObjectDeletion,
    SourceFolder,
    SourceStatus,
    SourceSummary,
)

if TYPE_CHECKING:
    from pullit_adapters.memory.table import Table

SOURCE_TABLES = ("sources", "source_folders", "pending_deletions")


class InMemorySourceRepository:
    """Sources over the unit of work's private tables; uniqueness rules as in SQL."""

    def __init__(self, tables: dict[str, Table[Any]]) -> None:
        self._sources: Table[LearningSource] = tables["sources"]
        self._folders: Table[SourceFolder] = tables["source_folders"]
        self._pending: Table[PendingObjectDeletion] = tables["pending_deletions"]
        # Question sets arrive with their own feature; until then there are none to count.
        self._question_sets: Table[Any] | None = tables.get("question_sets")

    async def add(self, source: LearningSource) -> None:
        if any(s.object_key == source.object_key for s in self._sources.rows.values()):
            raise Conflict("this object is already recorded")
        self._sources.insert(source)

    async def get(self, member_id: int, source_id: int) -> LearningSource | None:
        source = self._sources.rows.get(source_id)
        if source is None or source.member_id != member_id or source.status is SourceStatus.DELETED:
            return None
        return source

    async def by_id(self, source_id: int) -> LearningSource | None:
        return self._sources.rows.get(source_id)

    async def by_key(self, object_key: str) -> LearningSource | None:
        return next((s for s in self._sources.rows.values() if s.object_key == object_key), None)

    async def summaries(self, member_id: int) -> list[SourceSummary]:
        live = [
            s for s in self._sources.rows.values() if s.member_id == member_id and s.status is not SourceStatus.DELETED
        ]
        live.sort(key=lambda s: (s.created_at, s.id or 0), reverse=True)
        return [SourceSummary(s, self._folders.rows[s.folder_id].name, *self._figures(member_id, s)) for s in live]

    def _figures(self, member_id: int, source: LearningSource) -> tuple[int, datetime | None]:
        made = [
            q.created_at
            for q in (self._question_sets.rows.values() if self._question_sets else ())
            if q.member_id == member_id and q.deleted_at is None and source.id in q.source_ids
        ]
        return len(made), max(made, default=None)

    async def awaiting_pages(self, limit: int) -> list[LearningSource]:
        waiting = [s for s in self._sources.rows.values() if s.status is SourceStatus.UPLOADED]
        return sorted(waiting, key=lambda s: s.id or 0)[:limit]

    async def settle_upload(self, source_id: int, status: SourceStatus, page_count: int | None) -> bool:
        source = self._sources.rows.get(source_id)
        if source is None or source.status is not SourceStatus.UPLOADED:
            return False
        source.status, source.page_count = status, page_count
        return True

    async def default_folder(self, member_id: int) -> SourceFolder | None:
        return next((f for f in self._folders.rows.values() if f.member_id == member_id and f.is_default), None)

    async def add_folder(self, folder: SourceFolder) -> None:
        if any(f.member_id == folder.member_id and f.name == folder.name for f in self._folders.rows.values()):
            raise Conflict("a source folder of that name exists")
        self._folders.insert(folder)

    async def add_pending_deletion(self, pending: PendingObjectDeletion) -> None:
        self._pending.insert(pending)

    async def pending_deletions(self, limit: int) -> list[PendingObjectDeletion]:
        return sorted(self._pending.rows.values(), key=lambda p: p.id or 0)[:limit]

    async def remove_pending_deletion(self, pending: PendingObjectDeletion) -> None:
        self._pending.rows.pop(pending.id or 0, None)
