"""Repositories of solving: the wrong-answer note, the domain-event outbox and the stats read model."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from pullit_domain.model.stats import DailyStat, DomainEvent, LearningStats
from pullit_domain.model.wrong_answer import WrongAnswer, WrongAnswerGroup


class WrongAnswerRepository(Protocol):
    """A member's note, always scoped to the owner. ``add`` assigns the id."""

    async def add(self, entry: WrongAnswer) -> None: ...

    async def for_questions(self, member_id: int, question_ids: Sequence[int]) -> list[WrongAnswer]: ...

    async def answered_wrong(self, member_id: int, answers: Sequence[tuple[int, int]], at: datetime) -> None:
        """Note each ``(question_id, question_set_id)`` answered wrong at ``at``: a new entry for a
        question not in the note yet, else one more wrong answer and unreviewed again
        (``WrongAnswer.answered_wrong``). Concurrent calls for one question keep one entry."""
        ...

    async def reviewed_correctly(self, member_id: int, question_ids: Sequence[int], at: datetime) -> None:
        """Mark the member's entries of these questions reviewed (``WrongAnswer.reviewed_correctly``);
        questions not in the note are left alone."""
        ...

    async def unreviewed_question_ids(self, member_id: int, question_set_id: int) -> set[int]: ...

    async def unreviewed_groups(
        self, member_id: int, folder_id: int | None, cursor: int | None, limit: int | None
    ) -> list[WrongAnswerGroup]:
        """Sets (not deleted) with unreviewed entries, newest set first, set ids strictly below
        ``cursor``, only sets filed in ``folder_id`` when given; at most ``limit`` groups."""
        ...


class DomainEventRepository(Protocol):
    """The outbox of domain events. ``record`` assigns the id."""

    async def record(self, event: DomainEvent) -> None: ...

    async def unprocessed(self, limit: int, member_id: int | None = None) -> list[DomainEvent]:
        """Oldest first."""
        ...

    async def mark_processed(self, event_id: int, at: datetime) -> None: ...


class LearningStatsRepository(Protocol):
    """The stats read model.

    ``lock_member`` serialises projectors of one member until the transaction ends.
    ``claim_event`` records that an event is applied and is ``False`` when it already
    was, which makes applying an event idempotent; ``claim_new_event`` does so for an event
    recorded in the same transaction, which nobody can have claimed, and reports nothing.
    """

    async def lock_member(self, member_id: int) -> None: ...

    async def claim_event(self, event_id: int, at: datetime) -> bool: ...

    async def claim_new_event(self, event_id: int, at: datetime) -> None: ...

    async def get(self, member_id: int) -> LearningStats | None:
        """The member's row as it is now; changes to it are written by ``save``."""
        ...

    async def save(self, stats: LearningStats) -> None:
        """Write ``stats``: inserted (assigning the id) when it has none, else updated."""
        ...

    async def add_daily(self, member_id: int, day: date, solved: int) -> None: ...

    async def daily(self, member_id: int, first: date, last: date) -> list[DailyStat]:
        """Days with activity between ``first`` and ``last`` inclusive, in date order."""
        ...

    async def add_solved_sets(self, member_id: int, set_ids: Sequence[int], at: datetime) -> None:
        """Remember sets as solved at least once (already remembered ones are left alone)."""
        ...

    async def solved_set_ids(self, member_id: int) -> set[int]: ...
