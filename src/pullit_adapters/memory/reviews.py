"""In-memory review cards, review log and review settings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pullit_domain.errors import Conflict
from pullit_domain.model.question_set import Question, QuestionSet
from pullit_domain.model.review import CardState, ReviewCard, ReviewLogEntry, ReviewSettings
from pullit_domain.ports.review_repository import DueCounts, RetentionCount

if TYPE_CHECKING:
    from pullit_adapters.memory.table import Table

REVIEW_TABLES = ("review_cards", "review_log", "review_settings")


class InMemoryReviewCardRepository:
    def __init__(self, tables: dict[str, Table[Any]]) -> None:
        self._cards: Table[ReviewCard] = tables["review_cards"]
        self._questions: Table[Question] = tables["questions"]
        self._sets: Table[QuestionSet] = tables["question_sets"]

    def _owned(self, member_id: int) -> list[ReviewCard]:
        # SQL deletes a card with its question (ON DELETE CASCADE); here it is just skipped.
        return [
            c for c in self._cards.rows.values() if c.member_id == member_id and c.question_id in self._questions.rows
        ]

    async def add(self, card: ReviewCard) -> None:
        if any(c.question_id == card.question_id for c in self._owned(card.member_id)):
            raise Conflict("this question already has a card")
        self._cards.insert(card)

    async def for_questions(self, member_id: int, question_ids: Sequence[int]) -> list[ReviewCard]:
        wanted = set(question_ids)
        return [c for c in self._owned(member_id) if c.question_id in wanted]

    async def save_all(self, cards: Sequence[ReviewCard]) -> None:
        for card in cards:
            if card.id is None:
                await self.add(card)
            elif card.id in self._cards.rows:
                # Like SQL's UPDATE: a card deleted meanwhile is not made again.
                self._cards.rows[card.id] = card

    async def due(self, member_id: int, until: datetime, new: bool, limit: int) -> list[ReviewCard]:
        due = [c for c in self._owned(member_id) if c.due <= until and c.is_new == new]
        return sorted(due, key=lambda c: (c.due, c.id or 0))[:limit]

    async def learning_due(self, member_id: int, until: datetime, limit: int) -> list[ReviewCard]:
        learning = (CardState.LEARNING, CardState.RELEARNING)
        due = [c for c in self._owned(member_id) if c.due <= until and c.state in learning]
        return sorted(due, key=lambda c: (c.due, c.id or 0))[:limit]

    async def count_due(self, member_id: int, until: datetime) -> DueCounts:
        due = [c for c in self._owned(member_id) if c.due <= until]
        new = sum(1 for c in due if c.is_new)
        return DueCounts(due=len(due) - new, new=new)

    async def count_introduced_since(self, member_id: int, since: datetime) -> int:
        return sum(1 for c in self._owned(member_id) if c.introduced_at is not None and c.introduced_at >= since)

    async def due_times(self, member_id: int, before: datetime) -> list[datetime]:
        return [c.due for c in self._owned(member_id) if c.due < before]

    async def count_by_state(self, member_id: int) -> dict[CardState, int]:
        return dict(Counter(c.state for c in self._owned(member_id)))

    async def questions_of(self, member_id: int, question_ids: Sequence[int]) -> list[tuple[Question, str]]:
        found = []
        for question_id in question_ids:
            question = self._questions.rows.get(question_id)
            question_set = self._sets.rows.get(question.question_set_id) if question else None
            if question and question_set and question.member_id == member_id and question_set.deleted_at is None:
                found.append((question, question_set.title))
        return found

    async def delete_for_set(self, member_id: int, question_set_id: int) -> None:
        for card in self._owned(member_id):
            if card.question_set_id == question_set_id:
                self._cards.rows.pop(card.id or 0, None)


class InMemoryReviewLogRepository:
    def __init__(self, tables: dict[str, Table[Any]]) -> None:
        self._log: Table[ReviewLogEntry] = tables["review_log"]

    async def append(self, entry: ReviewLogEntry) -> None:
        if entry.idempotency_key is not None and any(
            e.member_id == entry.member_id and e.idempotency_key == entry.idempotency_key
            for e in self._log.rows.values()
        ):
            raise Conflict("this idempotency key was used already")
        self._log.insert(entry)

    async def append_all(self, entries: Sequence[ReviewLogEntry]) -> None:
        for entry in entries:
            await self.append(entry)

    async def by_idempotency_key(self, member_id: int, key: str) -> ReviewLogEntry | None:
        return next((e for e in self._log.rows.values() if e.member_id == member_id and e.idempotency_key == key), None)

    def _since(self, member_id: int, since: datetime) -> list[ReviewLogEntry]:
        return [e for e in self._log.rows.values() if e.member_id == member_id and e.reviewed_at >= since]

    async def count_since(self, member_id: int, since: datetime) -> int:
        return len(self._since(member_id, since))

    async def retention_since(self, member_id: int, since: datetime) -> RetentionCount:
        due = [e for e in self._since(member_id, since) if e.state_before is CardState.REVIEW]
        return RetentionCount(len(due), sum(1 for e in due if e.correct))


class InMemoryReviewSettingsRepository:
    def __init__(self, tables: dict[str, Table[Any]]) -> None:
        self._settings: Table[ReviewSettings] = tables["review_settings"]

    async def get(self, member_id: int) -> ReviewSettings | None:
        return next((s for s in self._settings.rows.values() if s.member_id == member_id), None)

    async def desired_retention(self, member_id: int) -> float | None:
        settings = await self.get(member_id)
        return None if settings is None else settings.desired_retention

    async def add(self, settings: ReviewSettings) -> None:
        if await self.get(settings.member_id) is not None:
            raise Conflict("review settings exist already")
        self._settings.insert(settings)
