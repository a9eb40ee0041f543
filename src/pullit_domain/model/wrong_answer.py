"""The wrong-answer note: every question a member got wrong, once, until reviewed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(eq=False)
class WrongAnswer:
    """One question in a member's note (unique per member and question).

    ``incorrect_count`` counts every wrong answer to the question; ``reviewed`` turns true
    when the question is answered correctly in review mode and false again on any later
    wrong answer.
    """

    member_id: int
    question_id: int
    question_set_id: int
    created_at: datetime
    updated_at: datetime
    incorrect_count: int = 1
    reviewed: bool = False
    id: int | None = field(default=None)

    def answered_wrong(self, at: datetime) -> None:
        self.incorrect_count += 1
        self.reviewed = False
        self.updated_at = at

    def reviewed_correctly(self, at: datetime) -> None:
        self.reviewed = True
        self.updated_at = at


@dataclass(frozen=True)
class WrongAnswerGroup:
    """How many questions of one set wait for review (the note lists sets, not questions)."""

    question_set_id: int
    unreviewed_count: int
