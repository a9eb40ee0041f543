from __future__ import annotations

from typing import Protocol

from pullit_domain.model.source import (
    LearningSource,
    PendingObjectDeletion,
    SourceFolder,
    SourceStatus,
    SourceSummary,
)


class SourceRepository(Protocol):
    """Learning sources, their folders and the store deletions still owed.

    Member-facing lookups are scoped to the owner and never return DELETED sources;
    ``by_key``/``by_id`` serve idempotency checks and background work.
    ``add``/``add_folder``/``add_pending_deletion`` assign ids before they return.
    """

    async def add(self, source: LearningSource) -> None: ...

    async def get(self, member_id: int, source_id: int) -> LearningSource | None: ...

    async def by_id(self, source_id: int) -> LearningSource | None: ...

    async def by_key(self, object_key: str) -> LearningSource | None: ...

    async def summaries(self, member_id: int) -> list[SourceSummary]:
        """The member's live sources, newest first."""
        ...

    async def awaiting_pages(self, limit: int) -> list[LearningSource]:
        """Sources still ``UPLOADED`` (their document not read yet), oldest first."""
        ...

    async def settle_upload(self, source_id: int, status: SourceStatus, page_count: int | None) -> bool:
        """Move a source that is still ``UPLOADED`` to ``status`` with ``page_count``, atomically.

        Returns ``False`` (and changes nothing) when it left ``UPLOADED`` meanwhile, e.g. was deleted.
        """
        ...

    async def default_folder(self, member_id: int) -> SourceFolder | None: ...

    async def add_folder(self, folder: SourceFolder) -> None: ...

    async def add_pending_deletion(self, pending: PendingObjectDeletion) -> None: ...

    async def pending_deletions(self, limit: int) -> list[PendingObjectDeletion]: ...

    async def remove_pending_deletion(self, pending: PendingObjectDeletion) -> None: ...
