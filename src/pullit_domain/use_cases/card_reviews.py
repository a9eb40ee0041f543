"""Recording one review of a member's card: the step shared by marking, wrong-answer review
and the review queue. It runs inside the caller's unit of work, so a submission and the
reviews it causes commit together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pullit_domain.model.review import Rating, ReviewCard, ReviewLogEntry, ReviewOrigin, ReviewSettings
from pullit_domain.ports.review_scheduler import ReviewScheduler
from pullit_domain.ports.unit_of_work import UnitOfWork


async def settings_of(uow: UnitOfWork, member_id: int) -> ReviewSettings:
    return await uow.review_settings.get(member_id) or ReviewSettings(member_id)


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
        before = card.state if card is not None else None
        memory = self._scheduler.review(card.memory if card else None, answered.rating, answered.at, desired_retention)
        if card is None:
            card = ReviewCard.first(answered.member_id, answered.question_id, answered.question_set_id, memory)
            await uow.review_cards.add(card)
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
        await uow.review_log.append(entry)
        return card, entry
