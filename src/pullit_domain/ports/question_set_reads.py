"""The read side of question sets: what the pages a learner opens most often show.

These reads change nothing, so they take no unit of work: an adapter answers each in one or
two queries, straight into the plain, immutable records below (no entity to track or flush).
Every read is owner-scoped and skips deleted sets.

The records are named tuples: made from a result row in C, where a frozen dataclass sets each
field through ``object.__setattr__`` (four times the cost, and a set read makes 21 of them).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple, Protocol

from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import QuestionSetStatus


class QuestionRead(NamedTuple):
    id: int
    question_type: QuestionType
    text: str
    answer: str
    explanation: str
    options: list[str] | None
    source_id: int | None
    page: int | None
    quote: str | None


class QuestionSetRead(NamedTuple):
    id: int
    member_id: int
    title: str
    question_type: QuestionType
    difficulty: Difficulty
    question_count: int
    source_ids: list[int]
    folder_id: int
    folder_name: str
    status: QuestionSetStatus
    failure_reason: str | None
    created_at: datetime
    updated_at: datetime
    delivered_count: int | None

    @property
    def delivered(self) -> int:
        """As ``QuestionSet.delivered``: how many questions a COMPLETE set holds."""
        if self.delivered_count is None:
            # Sets completed before grounding existed held exactly what was asked for.
            return self.question_count if self.status is QuestionSetStatus.COMPLETE else 0
        return self.delivered_count


class QuestionSetReads(Protocol):
    async def with_questions(self, member_id: int, set_id: int) -> tuple[QuestionSetRead, list[QuestionRead]] | None:
        """The set with its folder's name and its questions in order; ``None`` if not the member's."""
        ...

    async def page(self, member_id: int, folder_id: int | None, cursor: int | None, size: int) -> list[QuestionSetRead]:
        """Newest first, ids strictly below ``cursor``; at most ``size`` sets."""
        ...

    async def all(self, member_id: int) -> list[QuestionSetRead]:
        """Newest first."""
        ...

    async def has_folder(self, member_id: int, folder_id: int) -> bool:
        """Whether ``folder_id`` is one of the member's question-set folders."""
        ...

    async def source_names(self, member_id: int, source_ids: Collection[int]) -> dict[int, str]:
        """Names of the member's sources among ``source_ids``, deleted ones included: sets go on naming them."""
        ...

    async def learning_progress(self, member_id: int) -> int:
        """Percent (0..100, rounded down) of the member's COMPLETE sets solved at least once."""
        ...
