"""What members are told about: durable, per-member numbered notifications."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

QUESTION_SET_CREATION_COMPLETE = "questionSetCreationComplete"


@dataclass(frozen=True)
class MemberEvent:
    """Something a member's open tabs should hear about.

    ``id`` is durable and increases per member; ``data`` is the event's JSON text.
    """

    member_id: int
    id: int
    name: str
    data: str


@dataclass(frozen=True)
class Notification:
    """An event name and its JSON payload, before it is numbered by the log."""

    name: str
    data: str

    @classmethod
    def of(cls, name: str, payload: dict[str, Any]) -> Notification:
        # Compact and UTF-8 as-is: the text goes out verbatim as the SSE ``data:`` line.
        return cls(name, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))


class CompletionStatus(StrEnum):
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"
    UNPROCESSABLE = "UNPROCESSABLE"


@dataclass(frozen=True)
class QuestionSetCompletion:
    """The contract's ``questionSetCreationComplete`` event, sent for failures too."""

    question_set_id: int
    status: CompletionStatus
    message: str
    # Questions asked for and questions in the set (fewer when some could not be grounded).
    requested: int | None = None
    delivered: int = 0

    @classmethod
    def complete(
        cls,
        question_set_id: int,
        message: str = "The question set is ready.",
        requested: int | None = None,
        delivered: int = 0,
    ) -> QuestionSetCompletion:
        return cls(question_set_id, CompletionStatus.COMPLETE, message, requested, delivered)

    @classmethod
    def failed(cls, question_set_id: int, message: str, requested: int | None = None) -> QuestionSetCompletion:
        return cls(question_set_id, CompletionStatus.FAILED, message, requested)

    @classmethod
    def unprocessable(cls, question_set_id: int, message: str, requested: int | None = None) -> QuestionSetCompletion:
        return cls(question_set_id, CompletionStatus.UNPROCESSABLE, message, requested)

    @property
    def success(self) -> bool:
        return self.status is CompletionStatus.COMPLETE

    def notification(self) -> Notification:
        payload: dict[str, Any] = {
            "success": self.success,
            "questionSetId": self.question_set_id,
            "message": self.message,
            "status": self.status.value,
        }
        if self.requested is not None:
            payload.update(requested=self.requested, delivered=self.delivered)
        return Notification.of(QUESTION_SET_CREATION_COMPLETE, payload)


@dataclass(frozen=True)
class OutboxEntry:
    """A committed notification that may not have reached the notifier yet.

    ``row_id`` identifies the log row across members; ``event.id`` is the member's own number.
    """

    row_id: int
    event: MemberEvent
    created_at: datetime | None = None
