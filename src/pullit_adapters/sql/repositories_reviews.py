"""Review cards, the review log and review settings in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, case, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import registry
from sqlalchemy.sql.dml import Update
from sqlalchemy.sql.selectable import ScalarSelect

from pullit_adapters.sql import tables
from pullit_adapters.sql.asyncmy_dialect import DEFERRABLE
from pullit_adapters.sql.batch import column_values, from_row
from pullit_domain.model.question_set import Question
from pullit_domain.model.review import CardState, ReviewCard, ReviewLogEntry, ReviewSettings
from pullit_domain.ports.review_repository import DueCounts, RetentionCount

_c = tables.review_cards.c
_l = tables.review_log.c


def map_reviews(mapper_registry: registry) -> None:
    mapper_registry.map_imperatively(ReviewCard, tables.review_cards)
    # ReviewLogEntry stays unmapped: it is written once and never changed, by Core statements only,
    # and marking makes one per answer, which the ORM's attribute instrumentation would slow.
    mapper_registry.map_imperatively(ReviewSettings, tables.review_settings)


_RETENTION_OF = select(tables.review_settings.c.desired_retention).where(
    tables.review_settings.c.member_id == bindparam("member_id")
)
_CARDS_OF = select(*tables.review_cards.c).where(
    _c.member_id == bindparam("member_id"), _c.question_id.in_(bindparam("ids", expanding=True))
)
_NEW_CARD_COLUMNS = tuple(c.name for c in tables.review_cards.c if c.name != "id")
# What a review changes on a card (``ReviewCard.reviewed``).
_REVIEWED_COLUMNS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
    "is_new",
    "introduced_at",
)
_INSERT_CARDS = insert(tables.review_cards)
_INSERT_LOG = insert(tables.review_log)
_LOG_COLUMNS = tuple(c.name for c in tables.review_log.c if c.name != "id")
_LOG_BY_KEY = select(*tables.review_log.c).where(
    _l.member_id == bindparam("member_id"), _l.idempotency_key == bindparam("key")
)


@lru_cache(maxsize=256)
def _update_cards(count: int) -> Update:
    """One UPDATE for ``count`` reviewed cards: ``SET col = CASE id WHEN :id_i THEN :col_i ... END``
    per column, built once per batch size and then only bound.

    An UPDATE, not an upsert, so a card deleted meanwhile (its set deleted) stays deleted.
    """
    ids = [bindparam(f"id_{i}", type_=_c.id.type) for i in range(count)]
    values = {
        name: case(*[(ids[i], bindparam(f"v_{name}_{i}", type_=_c[name].type)) for i in range(count)], value=_c.id)
        for name in _REVIEWED_COLUMNS
    }
    return update(tables.review_cards).where(_c.id.in_(ids)).values(values)


def _update_params(cards: Sequence[ReviewCard]) -> dict[str, Any]:
    params: dict[str, Any] = {f"id_{i}": card.id for i, card in enumerate(cards)}
    for i, card in enumerate(cards):
        params.update({f"v_{name}_{i}": getattr(card, name) for name in _REVIEWED_COLUMNS})
    return params


class SqlReviewCardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, card: ReviewCard) -> None:
        # Written with the rest of the unit of work, so a submission's new cards go in one INSERT.
        self._session.add(card)

    async def for_questions(self, member_id: int, question_ids: Sequence[int]) -> list[ReviewCard]:
        if not question_ids:
            return []
        rows = await self._session.execute(_CARDS_OF, {"member_id": member_id, "ids": list(question_ids)})
        # Plain instances, not in the session: ``save_all`` writes what changes.
        return [from_row(ReviewCard, row) for row in rows.mappings()]

    async def save_all(self, cards: Sequence[ReviewCard]) -> None:
        new = [column_values(card, _NEW_CARD_COLUMNS) for card in cards if card.id is None]
        if new:
            # One multi-row INSERT; a card the member has already breaks the unique key.
            await self._session.execute(_INSERT_CARDS, new, execution_options=DEFERRABLE)
        reviewed = [card for card in cards if card.id is not None]
        if reviewed:
            await self._session.execute(
                _update_cards(len(reviewed)), _update_params(reviewed), execution_options=DEFERRABLE
            )

    async def due(self, member_id: int, until: datetime, new: bool, limit: int) -> list[ReviewCard]:
        query = (
            select(ReviewCard)
            .where(_c.member_id == member_id, _c.is_new == new, _c.due <= until)
            .order_by(_c.due, _c.id)
            .limit(limit)
        )
        return list((await self._session.scalars(query)).all())

    async def learning_due(self, member_id: int, until: datetime, limit: int) -> list[ReviewCard]:
        query = (
            select(ReviewCard)
            .where(
                _c.member_id == member_id,
                _c.due <= until,
                _c.state.in_([CardState.LEARNING, CardState.RELEARNING]),
            )
            .order_by(_c.due, _c.id)
            .limit(limit)
        )
        return list((await self._session.scalars(query)).all())

    async def count_due(self, member_id: int, until: datetime) -> DueCounts:
        # Two range scans of the (member_id, is_new, due) index in one round trip; a GROUP BY is_new
        # would read every card of the member instead.
        def due_count(is_new: bool) -> ScalarSelect[int]:
            where = (_c.member_id == member_id, _c.is_new == is_new, _c.due <= until)
            return select(func.count()).select_from(tables.review_cards).where(*where).scalar_subquery()

        introduced, new = (await self._session.execute(select(due_count(False), due_count(True)))).one()
        return DueCounts(due=int(introduced), new=int(new))

    async def count_introduced_since(self, member_id: int, since: datetime) -> int:
        query = select(func.count()).where(_c.member_id == member_id, _c.introduced_at >= since)
        return int((await self._session.scalar(query)) or 0)

    async def due_times(self, member_id: int, before: datetime) -> list[datetime]:
        query = select(_c.due).where(_c.member_id == member_id, _c.due < before)
        return list((await self._session.scalars(query)).all())

    async def count_by_state(self, member_id: int) -> dict[CardState, int]:
        query = select(_c.state, func.count()).where(_c.member_id == member_id).group_by(_c.state)
        return {CardState(state): int(count) for state, count in (await self._session.execute(query)).all()}

    async def questions_of(self, member_id: int, question_ids: Sequence[int]) -> list[tuple[Question, str]]:
        if not question_ids:
            return []
        _q, _s = tables.questions.c, tables.question_sets.c
        query = (
            select(Question, _s.title)
            .join(tables.question_sets, _s.id == _q.question_set_id)
            .where(_q.member_id == member_id, _q.id.in_(list(question_ids)), _s.deleted_at.is_(None))
        )
        return [(question, str(title)) for question, title in (await self._session.execute(query)).all()]

    async def delete_for_set(self, member_id: int, question_set_id: int) -> None:
        await self._session.execute(
            delete(tables.review_cards)
            .where(_c.member_id == member_id, _c.question_set_id == question_set_id)
            .execution_options(synchronize_session=False)
        )


class SqlReviewLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def append(self, entry: ReviewLogEntry) -> None:
        # A reused idempotency key breaks the unique key here (Conflict).
        await self.append_all([entry])

    async def append_all(self, entries: Sequence[ReviewLogEntry]) -> None:
        if entries:
            # One multi-row INSERT; a reused idempotency key breaks the unique key here.
            rows = [column_values(entry, _LOG_COLUMNS) for entry in entries]
            await self._session.execute(_INSERT_LOG, rows, execution_options=DEFERRABLE)

    async def by_idempotency_key(self, member_id: int, key: str) -> ReviewLogEntry | None:
        row = (await self._session.execute(_LOG_BY_KEY, {"member_id": member_id, "key": key})).mappings().first()
        return None if row is None else ReviewLogEntry(**row)

    async def count_since(self, member_id: int, since: datetime) -> int:
        query = select(func.count()).where(_l.member_id == member_id, _l.reviewed_at >= since)
        return int((await self._session.scalar(query)) or 0)

    async def retention_since(self, member_id: int, since: datetime) -> RetentionCount:
        query = select(func.count(), func.coalesce(func.sum(case((_l.correct.is_(True), 1), else_=0)), 0)).where(
            _l.member_id == member_id, _l.reviewed_at >= since, _l.state_before == CardState.REVIEW
        )
        reviews, correct = (await self._session.execute(query)).one()
        return RetentionCount(int(reviews), int(correct))


class SqlReviewSettingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, member_id: int) -> ReviewSettings | None:
        query = select(ReviewSettings).where(tables.review_settings.c.member_id == member_id)
        return (await self._session.scalars(query)).first()

    async def desired_retention(self, member_id: int) -> float | None:
        # Core, not the ORM: a bare value read on every submission, never changed by its reader.
        retention = await self._session.scalar(_RETENTION_OF, {"member_id": member_id})
        return None if retention is None else float(retention)

    async def add(self, settings: ReviewSettings) -> None:
        self._session.add(settings)
        await self._session.flush()
