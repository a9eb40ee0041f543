from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from pullit_domain.model.generation_job import GenerationJob
from pullit_domain.model.question_set import Question, QuestionSet


class QuestionSetRepository(Protocol):
    """A member's question sets. Member-facing lookups are owner-scoped and skip deleted sets.

    ``add`` assigns the id before it returns.
    """

    async def add(self, question_set: QuestionSet) -> None: ...

    async def get(self, member_id: int, set_id: int) -> QuestionSet | None: ...

    async def by_id(self, set_id: int) -> QuestionSet | None:
        """Any set, deleted or not (background work)."""
        ...

    async def page(self, member_id: int, folder_id: int | None, cursor: int | None, size: int) -> list[QuestionSet]:
        """Newest first, ids strictly below ``cursor``; at most ``size`` sets."""
        ...

    async def all(self, member_id: int) -> list[QuestionSet]: ...

    async def count_pending(self, member_id: int) -> int: ...

    async def pending_before(self, instant: datetime, limit: int) -> list[QuestionSet]:
        """PENDING sets created before ``instant``, oldest first (the stale-set sweeper)."""
        ...

    async def move_folder(self, member_id: int, from_folder: int, to_folder: int) -> int: ...

    async def count_in_folder(self, member_id: int, folder_id: int) -> int: ...


class QuestionRepository(Protocol):
    """Questions, always scoped to their owner."""

    async def add(self, question: Question) -> None: ...

    async def get(self, member_id: int, question_id: int) -> Question | None: ...

    async def for_set(self, set_id: int) -> list[Question]:
        """In position order."""
        ...

    async def for_ids(self, member_id: int, question_ids: list[int]) -> list[Question]: ...

    async def live_for_ids(self, member_id: int, question_ids: Sequence[int]) -> list[Question]:
        """The member's questions among ``question_ids`` whose set is not deleted, in one read."""
        ...

    async def delete(self, question: Question) -> None: ...


class GenerationJobRepository(Protocol):
    """Durable generation jobs.

    ``claimable`` returns jobs that may be leased now, locked for this transaction where
    the database can lock rows (``FOR UPDATE SKIP LOCKED``), so two workers never get the
    same row. ``for_set`` locks the job of one set for update.
    """

    async def add(self, job: GenerationJob) -> None: ...

    async def claimable(self, now: datetime, limit: int) -> list[GenerationJob]: ...

    async def for_set(self, set_id: int) -> GenerationJob | None: ...

    async def next_due(self) -> datetime | None:
        """When the earliest queued job or running lease becomes claimable."""
        ...
