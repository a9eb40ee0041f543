"""The ``ReviewScheduler`` port on py-fsrs (FSRS-6 with its default parameters)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from fsrs import Card, Rating, Scheduler, State

from pullit_domain.model.review import CardMemory, CardState
from pullit_domain.model.review import Rating as DomainRating

_STATES = {CardState.LEARNING: State.Learning, CardState.REVIEW: State.Review, CardState.RELEARNING: State.Relearning}
_DOMAIN_STATES = {state: name for name, state in _STATES.items()}
_RATINGS = {
    DomainRating.AGAIN: Rating.Again,
    DomainRating.HARD: Rating.Hard,
    DomainRating.GOOD: Rating.Good,
    DomainRating.EASY: Rating.Easy,
}


class FsrsScheduler:
    """``fuzz`` spreads review intervals a little (as Anki does) so cards learned together do
    not all fall due on one day; tests turn it off to get exact intervals."""

    def __init__(self, fuzz: bool = True) -> None:
        self._fuzz = fuzz

    def review(
        self, memory: CardMemory | None, rating: DomainRating, at: datetime, desired_retention: float
    ) -> CardMemory:
        at = at.astimezone(UTC)
        # A fixed card_id: py-fsrs otherwise sleeps a millisecond to make one up.
        card = Card(card_id=0, due=at) if memory is None else _card(memory)
        reviewed, _ = _scheduler(round(desired_retention, 4), self._fuzz).review_card(card, _RATINGS[rating], at)
        assert reviewed.stability is not None and reviewed.difficulty is not None
        return CardMemory(
            state=_DOMAIN_STATES[reviewed.state],
            step=reviewed.step,
            stability=reviewed.stability,
            difficulty=reviewed.difficulty,
            due=reviewed.due,
            last_review=at,
        )


@lru_cache(maxsize=64)
def _scheduler(desired_retention: float, fuzz: bool) -> Scheduler:
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=fuzz)


def _card(memory: CardMemory) -> Card:
    return Card(
        card_id=0,
        state=_STATES[memory.state],
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due.astimezone(UTC),
        last_review=memory.last_review.astimezone(UTC),
    )
