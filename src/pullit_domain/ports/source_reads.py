"""The read side of study material: the member's source list.

Like every read port it takes no unit of work: an adapter answers in one or two queries,
straight into the plain, immutable records below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pullit_domain.model.source import SourceStatus


@dataclass(frozen=True, slots=True)
class SourceRead:
    id: int
    original_name: str
    folder_name: str
    status: SourceStatus
    page_count: int | None
    size_bytes: int
    created_at: datetime
    question_set_count: int
    recent_question_generated_at: datetime | None


class SourceReads(Protocol):
    async def all(self, member_id: int) -> list[SourceRead]:
        """The member's sources except DELETED ones, newest first (the higher id first on a tie),
        each with how many live question sets were made from it and when the newest was asked for."""
        ...
