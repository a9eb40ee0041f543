"""Repositories of spaced review: cards, the append-only log, per-member settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pullit_domain.model.question_set import Question
from pullit_domain.model.review import CardState, ReviewCard, ReviewLogEntry, ReviewSettings


@dataclass(frozen=True)
class DueCounts:
    due: int
    new: int


class ReviewCardRepository(Protocol):
    """A member's cards, always scoped to the owner. ``add`` assigns the id and raises
    ``Conflict`` (at the latest on commit) when the member already has a card for the question."""

    async def add(self, card: ReviewCard) -> None: ...

    async def for_questions(self, member_id: int, question_ids: Sequence[int]) -> list[ReviewCard]:
        """The member's cards of these questions as they are now; changes to them are written by
        ``save_all``."""
        ...

    async def save_all(self, cards: Sequence[ReviewCard]) -> None:
        """Write a batch of cards: those without an id are inserted (their ids are not read back;
        ``Conflict``, at the latest on commit, when the member already has a card for the
        question), the others updated with their memory state, counters and introduction."""
        ...

    async def due(self, member_id: int, until: datetime, new: bool, limit: int) -> list[ReviewCard]:
        """Cards due at or before ``until``, earliest due first; only new cards (never reviewed
        from the queue) when ``new`` is true, else only introduced ones."""
        ...

    async def learning_due(self, member_id: int, until: datetime, limit: int) -> list[ReviewCard]:
        """Cards in learning or relearning due at or before ``until``, earliest due first."""
        ...

    async def count_due(self, member_id: int, until: datetime) -> DueCounts: ...

    async def count_introduced_since(self, member_id: int, since: datetime) -> int: ...

    async def due_times(self, member_id: int, before: datetime) -> list[datetime]:
        """Due times of the member's cards due before ``before`` (for the forecast)."""
        ...

    async def count_by_state(self, member_id: int) -> dict[CardState, int]: ...

    async def questions_of(self, member_id: int, question_ids: Sequence[int]) -> list[tuple[Question, str]]:
        """The member's questions among ``question_ids`` whose set is not deleted, with the set's title
        (one read for the whole due queue)."""
        ...

    async def delete_for_set(self, member_id: int, question_set_id: int) -> None: ...


@dataclass(frozen=True)
class RetentionCount:
    reviews: int
    correct: int


class ReviewLogRepository(Protocol):
    """Append-only. ``append`` raises ``Conflict`` (at the latest on commit) when the member
    already used the entry's idempotency key."""

    async def append(self, entry: ReviewLogEntry) -> None: ...

    async def append_all(self, entries: Sequence[ReviewLogEntry]) -> None:
        """``append`` for a batch, in one write (the ids are not read back)."""
        ...

    async def by_idempotency_key(self, member_id: int, key: str) -> ReviewLogEntry | None: ...

    async def count_since(self, member_id: int, since: datetime) -> int: ...

    async def retention_since(self, member_id: int, since: datetime) -> RetentionCount:
        """Reviews of cards that were in review state (due reviews), and how many were right."""
        ...


class ReviewSettingsRepository(Protocol):
    async def get(self, member_id: int) -> ReviewSettings | None: ...

    async def desired_retention(self, member_id: int) -> float | None:
        """The member's desired retention, ``None`` when they never changed their settings; a
        read only, for writers that do not change the settings."""
        ...

    async def add(self, settings: ReviewSettings) -> None: ...
