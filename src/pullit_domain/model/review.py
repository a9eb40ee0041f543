"""Spaced review: one card per (member, question) carrying its memory state, and the log of reviews.

The memory state (stability, difficulty, learning step, due time) is whatever the
``ReviewScheduler`` port computes; the domain only decides which rating an answer earns,
which cards are due and what a learner may change in their settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from pullit_domain.errors import Code, InvalidInput

MIN_RETENTION = 0.70
MAX_RETENTION = 0.97
DEFAULT_RETENTION = 0.90
DEFAULT_MAX_NEW_PER_DAY = 20
MAX_NEW_PER_DAY = 9999
# Like Anki: when nothing else is due, learning cards due this soon are served already.
LEARN_AHEAD = timedelta(minutes=20)


class Rating(StrEnum):
    AGAIN = "AGAIN"
    HARD = "HARD"
    GOOD = "GOOD"
    EASY = "EASY"


class CardState(StrEnum):
    LEARNING = "LEARNING"
    REVIEW = "REVIEW"
    RELEARNING = "RELEARNING"


class ReviewOrigin(StrEnum):
    """Where the answer was given: a set's marking, the wrong-answer review, the review queue."""

    MARKING = "MARKING"
    WRONG_ANSWER_REVIEW = "WRONG_ANSWER_REVIEW"
    QUEUE = "QUEUE"


def parse_rating(value: str | None) -> Rating | None:
    if value is None:
        return None
    try:
        return Rating(value)
    except ValueError:
        raise InvalidInput("rating must be one of AGAIN, HARD, GOOD, EASY", Code.REVIEW_BAD_RATING) from None


def rating_for(correct: bool, explicit: Rating | None = None) -> Rating:
    """The learner's own rating wins; otherwise a wrong answer is Again and a right one Good."""
    if explicit is not None:
        return explicit
    return Rating.GOOD if correct else Rating.AGAIN


@dataclass(frozen=True)
class CardMemory:
    """The scheduler's state of one card after its last review."""

    state: CardState
    step: int | None
    stability: float
    difficulty: float
    due: datetime
    last_review: datetime


@dataclass(eq=False)
class ReviewCard:
    """A card is *new* until it is first reviewed from the review queue (``introduced_at``);
    only ``maxNewPerDay`` new cards are served a day. ``is_new`` repeats that as a flag the
    due queue's index can lead with."""

    member_id: int
    question_id: int
    question_set_id: int
    state: CardState
    step: int | None
    stability: float
    difficulty: float
    due: datetime
    last_review: datetime
    reps: int = 0
    lapses: int = 0
    is_new: bool = True
    introduced_at: datetime | None = None
    created_at: datetime | None = None
    id: int | None = field(default=None)

    @property
    def memory(self) -> CardMemory:
        return CardMemory(self.state, self.step, self.stability, self.difficulty, self.due, self.last_review)

    @classmethod
    def first(cls, member_id: int, question_id: int, question_set_id: int, memory: CardMemory) -> ReviewCard:
        m = memory
        return cls(
            member_id,
            question_id,
            question_set_id,
            m.state,
            m.step,
            m.stability,
            m.difficulty,
            m.due,
            m.last_review,
            reps=1,
            created_at=m.last_review,
        )

    def reviewed(self, memory: CardMemory, origin: ReviewOrigin) -> None:
        if self.state is CardState.REVIEW and memory.state is CardState.RELEARNING:
            self.lapses += 1
        self.reps += 1
        if origin is ReviewOrigin.QUEUE and self.is_new:
            self.is_new = False
            self.introduced_at = memory.last_review
        self.state, self.step, self.due, self.last_review = memory.state, memory.step, memory.due, memory.last_review
        self.stability, self.difficulty = memory.stability, memory.difficulty


@dataclass(eq=False)
class ReviewLogEntry:
    """One review, never changed after it is written (the input of a later parameter fit).

    ``state_before`` is ``None`` for the review that created the card. ``idempotency_key``
    and ``fingerprint`` (a digest of the request) let a retried request get the same reply.
    """

    member_id: int
    question_id: int
    rating: Rating
    correct: bool
    origin: ReviewOrigin
    reviewed_at: datetime
    state_before: CardState | None
    state_after: CardState
    due_after: datetime
    stability_after: float
    difficulty_after: float
    idempotency_key: str | None = None
    fingerprint: str | None = None
    id: int | None = field(default=None)

    @property
    def interval(self) -> timedelta:
        return self.due_after - self.reviewed_at


@dataclass(eq=False)
class ReviewSettings:
    member_id: int
    desired_retention: float = DEFAULT_RETENTION
    max_new_per_day: int = DEFAULT_MAX_NEW_PER_DAY
    id: int | None = field(default=None)

    def change(self, desired_retention: float | None, max_new_per_day: int | None) -> None:
        if desired_retention is not None:
            if not MIN_RETENTION <= desired_retention <= MAX_RETENTION:
                raise InvalidInput("desiredRetention must be between 0.70 and 0.97", Code.REVIEW_RETENTION_OUT_OF_RANGE)
            self.desired_retention = desired_retention
        if max_new_per_day is not None:
            if not 0 <= max_new_per_day <= MAX_NEW_PER_DAY:
                raise InvalidInput("maxNewPerDay must be between 0 and 9999", Code.REVIEW_NEW_PER_DAY_OUT_OF_RANGE)
            self.max_new_per_day = max_new_per_day
