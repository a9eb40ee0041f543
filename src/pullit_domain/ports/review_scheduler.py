from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pullit_domain.model.review import CardMemory, Rating


class ReviewScheduler(Protocol):
    """Computes a card's next memory state from its current one and a rating.

    Contract: ``memory`` is ``None`` for a card's first review; ``at`` is aware UTC and
    becomes the result's ``last_review``; a higher ``desired_retention`` never yields a
    longer interval. Pure: no clock, no I/O (fuzzing may draw random numbers).
    """

    def review(
        self, memory: CardMemory | None, rating: Rating, at: datetime, desired_retention: float
    ) -> CardMemory: ...
