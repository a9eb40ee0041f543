"""Question sets and their questions: what generation produces and learners solve."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pullit_domain.errors import Conflict
from pullit_domain.model.question import Difficulty, QuestionType

MAX_QUESTIONS = 100


class QuestionSetStatus(StrEnum):
    PENDING = "PENDING"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"
    UNPROCESSABLE = "UNPROCESSABLE"


@dataclass(eq=False)
class QuestionSet:
    member_id: int
    title: str
    question_type: QuestionType
    difficulty: Difficulty
    question_count: int
    source_ids: list[int]
    folder_id: int
    created_at: datetime
    updated_at: datetime
    status: QuestionSetStatus = QuestionSetStatus.PENDING
    failure_reason: str | None = None
    idempotency_key: str | None = None
    # Asked for by the request that made the set; None = the service's or the member's language.
    language: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    completed_at: datetime | None = None
    deleted_at: datetime | None = None
    # How many questions the set holds once COMPLETE: at most ``question_count`` (the number
    # requested), fewer when some could not be grounded in the material.
    delivered_count: int | None = None
    id: int | None = field(default=None)

    @property
    def is_pending(self) -> bool:
        return self.status is QuestionSetStatus.PENDING

    @property
    def delivered(self) -> int:
        if self.delivered_count is None:
            # Sets completed before grounding existed held exactly what was asked for.
            return self.question_count if self.status is QuestionSetStatus.COMPLETE else 0
        return self.delivered_count

    def complete(self, title: str, delivered: int, input_tokens: int, output_tokens: int, at: datetime) -> None:
        self._settle(QuestionSetStatus.COMPLETE, None, at)
        if title:
            self.title = title[:200]
        self.delivered_count = delivered
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens

    def add_tokens(self, input_tokens: int, output_tokens: int) -> None:
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens

    def fail(self, reason: str, at: datetime) -> None:
        self._settle(QuestionSetStatus.FAILED, reason, at)

    def refuse(self, reason: str, at: datetime) -> None:
        """Generation can never succeed for this input."""
        self._settle(QuestionSetStatus.UNPROCESSABLE, reason, at)

    def retry(self, at: datetime) -> None:
        if self.status is not QuestionSetStatus.FAILED:
            raise Conflict("only a FAILED set can be retried; this one is {status}", status=self.status)
        self.status = QuestionSetStatus.PENDING
        self.failure_reason = None
        self.completed_at = None
        self.delivered_count = None
        self.updated_at = at

    def rename(self, title: str, at: datetime) -> None:
        self.title = title
        self.updated_at = at

    def move_to(self, folder_id: int, at: datetime) -> None:
        self.folder_id = folder_id
        self.updated_at = at

    def delete(self, at: datetime) -> None:
        self.deleted_at = at
        self.updated_at = at

    def _settle(self, status: QuestionSetStatus, reason: str | None, at: datetime) -> None:
        # A set settles exactly once; a second, late outcome is a bug in the caller.
        if self.status is not QuestionSetStatus.PENDING:
            raise Conflict("question set {id} already settled as {status}", id=self.id, status=self.status)
        self.status = status
        self.failure_reason = reason[:500] if reason else None
        self.completed_at = at
        self.updated_at = at


@dataclass(eq=False)
class Question:
    question_set_id: int
    member_id: int
    question_type: QuestionType
    text: str
    answer: str
    explanation: str
    position: int
    options: list[str] | None = None
    source_id: int | None = None
    page: int | None = None
    # The passage of ``page`` that supports the answer, checked against the PDF's text before
    # the question was stored. None only for questions stored before grounding existed.
    quote: str | None = None
    id: int | None = field(default=None)
