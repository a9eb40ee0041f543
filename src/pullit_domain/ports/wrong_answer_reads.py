"""The read side of the wrong-answer note: the sets whose wrong answers wait for review.

Like every read port it takes no unit of work: an adapter answers in one or two queries,
straight into the plain, immutable records below. Every read is owner-scoped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pullit_domain.model.folder import FolderScope
from pullit_domain.model.question import Difficulty, QuestionType


@dataclass(frozen=True, slots=True)
class WrongAnswerSetRead:
    question_set_id: int
    title: str
    question_type: QuestionType
    difficulty: Difficulty
    folder_name: str
    source_names: list[str]
    unreviewed_count: int


class WrongAnswerReads(Protocol):
    async def sets(
        self, member_id: int, folder_id: int | None, cursor: int | None, limit: int | None
    ) -> list[WrongAnswerSetRead]:
        """The member's sets (not deleted) with unreviewed wrong answers, newest set first, set ids
        strictly below ``cursor``, only sets filed in ``folder_id`` when given; at most ``limit``.

        ``source_names`` names the member's sources in the set's order, deleted ones included:
        sets go on naming them.
        """
        ...

    async def folder_scope(self, member_id: int, folder_id: int) -> FolderScope | None:
        """The scope of the member's folder ``folder_id`` (of either type); ``None`` if not the member's."""
        ...
