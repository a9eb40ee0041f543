"""The wrong-answer note in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, false, func, literal_column, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import registry

from pullit_adapters.sql import tables
from pullit_adapters.sql.asyncmy_dialect import DEFERRABLE
from pullit_adapters.sql.batch import Upsert
from pullit_domain.model.wrong_answer import WrongAnswer, WrongAnswerGroup

_w = tables.wrong_answers.c
_s = tables.question_sets.c


def map_marking(mapper_registry: registry) -> None:
    mapper_registry.map_imperatively(WrongAnswer, tables.wrong_answers)


_COUNT_WRONG = Upsert(
    tables.wrong_answers,
    ("member_id", "question_id"),
    lambda table, new: {
        # No bound parameter after VALUES: the driver's multi-row rewrite allows none there.
        "incorrect_count": table.c.incorrect_count + literal_column("1"),
        "reviewed": false(),
        "updated_at": new.updated_at,
    },
)
_REVIEWED = (
    update(tables.wrong_answers)
    .where(_w.member_id == bindparam("owner"), _w.question_id.in_(bindparam("ids", expanding=True)))
    .values(reviewed=True, updated_at=bindparam("at"))
)


class SqlWrongAnswerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: WrongAnswer) -> None:
        # Written with the rest of the unit of work; a concurrent submission's entry for the same
        # question conflicts at commit, which marking retries.
        self._session.add(entry)

    async def for_questions(self, member_id: int, question_ids: Sequence[int]) -> list[WrongAnswer]:
        if not question_ids:
            return []
        query = select(WrongAnswer).where(_w.member_id == member_id, _w.question_id.in_(list(question_ids)))
        return list((await self._session.scalars(query)).all())

    async def answered_wrong(self, member_id: int, answers: Sequence[tuple[int, int]], at: datetime) -> None:
        # One upsert for the submission; the unique key (member, question) makes a concurrent
        # submission's answer to the same question count on the same entry.
        rows = [
            {
                "member_id": member_id,
                "question_id": question_id,
                "question_set_id": set_id,
                "incorrect_count": 1,
                "reviewed": False,
                "created_at": at,
                "updated_at": at,
            }
            for question_id, set_id in answers
        ]
        await self._session.execute(_COUNT_WRONG.on(self._session), rows, execution_options=DEFERRABLE)

    async def reviewed_correctly(self, member_id: int, question_ids: Sequence[int], at: datetime) -> None:
        await self._session.execute(
            _REVIEWED, {"owner": member_id, "ids": list(question_ids), "at": at}, execution_options=DEFERRABLE
        )

    async def unreviewed_question_ids(self, member_id: int, question_set_id: int) -> set[int]:
        query = select(_w.question_id).where(
            _w.member_id == member_id,
            _w.question_set_id == question_set_id,
            _w.reviewed == false(),  # "= false" can use the index; "IS false" cannot
        )
        return {int(i) for i in (await self._session.scalars(query)).all()}

    async def unreviewed_groups(
        self, member_id: int, folder_id: int | None, cursor: int | None, limit: int | None
    ) -> list[WrongAnswerGroup]:
        query = (
            select(_w.question_set_id, func.count())
            .join(tables.question_sets, _s.id == _w.question_set_id)
            .where(_w.member_id == member_id, _w.reviewed.is_(False), _s.deleted_at.is_(None))
            .group_by(_w.question_set_id)
            .order_by(_w.question_set_id.desc())
        )
        if folder_id is not None:
            query = query.where(_s.folder_id == folder_id)
        if cursor is not None:
            query = query.where(_w.question_set_id < cursor)
        if limit is not None:
            query = query.limit(limit)
        rows = (await self._session.execute(query)).all()
        return [WrongAnswerGroup(int(set_id), int(count)) for set_id, count in rows]
