"""Learning statistics: a read model fed by domain events.

Days are calendar days in the service's time zone. A week starts on Monday 00:00 there.
The streak grows by one on the first activity of a day that follows a day with activity,
restarts at 1 after a gap, and reads as 0 once a whole day passed without activity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

ANSWERS_MARKED = "AnswersMarked"
CARD_REVIEWED = "CardReviewed"


@dataclass(eq=False)
class DomainEvent:
    """A fact recorded in the same transaction as the change it describes (the outbox).

    ``processed_at`` stays ``None`` until the projector has applied it to the read model.
    """

    member_id: int
    kind: str
    payload: str
    occurred_at: datetime
    processed_at: datetime | None = None
    id: int | None = field(default=None)

    @property
    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.payload)
        return loaded


@dataclass(frozen=True)
class AnswersMarked:
    """One marking submission: one solved set and ``solved`` solved questions."""

    member_id: int
    question_set_ids: tuple[int, ...]
    solved: int
    correct: int
    reviewing: bool
    occurred_at: datetime

    def event(self) -> DomainEvent:
        payload = {
            "questionSetIds": list(self.question_set_ids),
            "solved": self.solved,
            "correct": self.correct,
            "reviewing": self.reviewing,
        }
        return DomainEvent(self.member_id, ANSWERS_MARKED, json.dumps(payload), self.occurred_at)

    @classmethod
    def of(cls, event: DomainEvent) -> AnswersMarked:
        data = event.data
        return cls(
            member_id=event.member_id,
            question_set_ids=tuple(int(i) for i in data["questionSetIds"]),
            solved=int(data["solved"]),
            correct=int(data["correct"]),
            reviewing=bool(data["reviewing"]),
            occurred_at=event.occurred_at,
        )


@dataclass(frozen=True)
class CardReviewed:
    """A review from the review queue: it solves no set, but the day counts for the streak."""

    member_id: int
    question_set_id: int
    correct: bool
    occurred_at: datetime

    def event(self) -> DomainEvent:
        payload = {"questionSetId": self.question_set_id, "correct": self.correct}
        return DomainEvent(self.member_id, CARD_REVIEWED, json.dumps(payload), self.occurred_at)


def local_day(instant: datetime, zone: tzinfo) -> date:
    return instant.astimezone(zone).date()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(eq=False)
class LearningStats:
    """A member's running totals, current week and streak (one row per member)."""

    member_id: int
    solved_set_count: int = 0
    solved_question_count: int = 0
    correct_question_count: int = 0
    weekly_solved_question_count: int = 0
    week_of: date | None = None
    streak: int = 0
    last_active_on: date | None = None
    id: int | None = field(default=None)

    def record(self, day: date, solved: int, correct: int) -> None:
        self.solved_set_count += 1
        self.solved_question_count += solved
        self.correct_question_count += correct
        self._count_week(day, solved)
        self._count_streak(day)

    def record_review(self, day: date) -> None:
        self._count_streak(day)

    def _count_week(self, day: date, solved: int) -> None:
        week = week_start(day)
        if self.week_of is None or week > self.week_of:
            self.week_of = week
            self.weekly_solved_question_count = solved
        elif week == self.week_of:
            self.weekly_solved_question_count += solved
        # An event of an earlier week (applied late) counts in the totals only.

    def _count_streak(self, day: date) -> None:
        last = self.last_active_on
        if last is None or day > last + timedelta(days=1):
            self.streak = 1
        elif day == last + timedelta(days=1):
            self.streak += 1
        if last is None or day > last:
            self.last_active_on = day


def weekly_count(week_of: date | None, counted: int, today: date) -> int:
    """This week's solved questions: zero from Monday 00:00 until the first activity of the new week."""
    return counted if week_of == week_start(today) else 0


def consecutive_days(last_active_on: date | None, streak: int, today: date) -> int:
    """The streak as of ``today``: zero once a whole day passed without activity."""
    if last_active_on is None or today - last_active_on > timedelta(days=1):
        return 0
    return streak


@dataclass(eq=False)
class DailyStat:
    """Solved questions of one member on one local day."""

    member_id: int
    day: date
    solved_question_count: int = 0
    id: int | None = field(default=None)


@dataclass(eq=False)
class SolvedQuestionSet:
    """A set the member has submitted answers for at least once (for learning progress)."""

    member_id: int
    question_set_id: int
    first_solved_at: datetime
    id: int | None = field(default=None)


@dataclass(frozen=True)
class LearningStatsView:
    total_question_set_count: int
    total_solved_question_set_count: int
    total_solved_question_count: int
    total_correct_question_count: int
    weekly_solved_question_count: int
    consecutive_learning_days: int


def learning_progress(complete_set_ids: set[int], solved_set_ids: set[int]) -> int:
    """Percent (0..100, rounded down) of the complete sets solved at least once."""
    if not complete_set_ids:
        return 0
    return len(complete_set_ids & solved_set_ids) * 100 // len(complete_set_ids)
