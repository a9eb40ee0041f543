"""Recording one review of a member's card: the step shared by marking, wrong-answer review
and the review queue. It runs inside the caller's unit of work, so a submission and the
reviews it causes commit together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pullit_domain.model.review import (
    DEFAULT_RETENTION,
    Rating,
    ReviewCard,
    ReviewLogEntry,
    ReviewOrigin,
    ReviewSettings,
)
from pullit_domain.ports.review_scheduler import ReviewScheduler
from pullit_domain.ports.unit_of_work import UnitOfWork


async def settings_of(uow: UnitOfWork, member_id: int) -> ReviewSettings:
    return await uow.review_settings.get(member_id) or ReviewSettings(member_id)


async def desired_retention_of(uow: UnitOfWork, member_id: int) -> float:
    """The retention the member's reviews aim at (the default until they change it)."""
    retention = await uow.review_settings.desired_retention(member_id)
    return DEFAULT_RETENTION if retention is None else retention


@dataclass(frozen=True)
class Answered:
    member_id: int
    question_id: int
    question_set_id: int
    correct: bool
    rating: Rating
    origin: ReviewOrigin
    at: datetime
    idempotency_key: str | None = None
    fingerprint: str | None = None


class CardReviewer:
    def __init__(self, scheduler: ReviewScheduler) -> None:
        self._scheduler = scheduler

    async def review(
        self, uow: UnitOfWork, card: ReviewCard | None, answered: Answered, desired_retention: float
    ) -> tuple[ReviewCard, ReviewLogEntry]:
        """Review ``card``, or create the member's card for the question when it is ``None``."""
        [reviewed] = await self.review_all(uow, [(card, answered)], desired_retention)
        return reviewed

    async def review_all(
        self, uow: UnitOfWork, answers: Sequence[tuple[ReviewCard | None, Answered]], desired_retention: float
    ) -> list[tuple[ReviewCard, ReviewLogEntry]]:
        """Review a batch of cards (``None`` creates the card) and write them and their log
        entries in one go: the writes of a submission do not grow with its answers."""
        reviewed = [self._reviewed(card, answered, desired_retention) for card, answered in answers]
        await uow.review_cards.save_all([card for card, _ in reviewed])
        await uow.review_log.append_all([entry for _, entry in reviewed])
        return reviewed

    def _reviewed(
        self, card: ReviewCard | None, answered: Answered, desired_retention: float
    ) -> tuple[ReviewCard, ReviewLogEntry]:
        before = card.state if card is not None else None
        memory = self._scheduler.review(card.memory if card else None, answered.rating, answered.at, desired_retention)
        if card is None:
            card = ReviewCard.first(answered.member_id, answered.question_id, answered.question_set_id, memory)
        else:
            card.reviewed(memory, answered.origin)
        entry = ReviewLogEntry(
            member_id=answered.member_id,
            question_id=answered.question_id,
            rating=answered.rating,
            correct=answered.correct,
            origin=answered.origin,
            reviewed_at=answered.at,
            state_before=before,
            state_after=memory.state,
            due_after=memory.due,
            stability_after=memory.stability,
            difficulty_after=memory.difficulty,
            idempotency_key=answered.idempotency_key,
            fingerprint=answered.fingerprint,
        )
        return card, entry
