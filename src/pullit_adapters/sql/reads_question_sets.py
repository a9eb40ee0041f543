"""``QuestionSetReads`` in SQLAlchemy Core: each page in one to three statements."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from pullit_adapters.sql import tables
from pullit_adapters.sql.reads import read_connection
from pullit_domain.model.folder import FolderType
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.ports.question_set_reads import QuestionRead, QuestionSetRead

_sets = tables.question_sets.c
_folders = tables.common_folders.c
_questions = tables.questions.c

# Built once: SQLAlchemy caches the compiled form of each by its structure.
_SET_COLUMNS = (
    _sets.id,
    _sets.member_id,
    _sets.title,
    _sets.question_type,
    _sets.difficulty,
    _sets.question_count,
    _sets.source_ids,
    _sets.folder_id,
    _folders.name,
    _sets.status,
    _sets.failure_reason,
    _sets.created_at,
    _sets.updated_at,
    _sets.delivered_count,
)
_QUESTION_COLUMNS = (
    _questions.id,
    _questions.question_type,
    _questions.text,
    _questions.answer,
    _questions.explanation,
    _questions.options,
    _questions.source_id,
    _questions.page,
    _questions.quote,
)


def _live_sets(member_id: int | BindParameter[Any]) -> Select[Any]:
    return (
        select(*_SET_COLUMNS)
        .join_from(tables.question_sets, tables.common_folders, _folders.id == _sets.folder_id)
        .where(_sets.member_id == member_id, _sets.deleted_at.is_(None))
    )


# The hot read, built once with bind parameters: no statement to build or cache key to compute per call.
_SET_WITH_FOLDER = _live_sets(bindparam("member_id")).where(_sets.id == bindparam("set_id"))
_QUESTIONS_OF_SET = (
    select(*_QUESTION_COLUMNS).where(_questions.question_set_id == bindparam("set_id")).order_by(_questions.position)
)


def _set(row: Any) -> QuestionSetRead:
    return QuestionSetRead(*row)


class SqlQuestionSetReads:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def with_questions(self, member_id: int, set_id: int) -> tuple[QuestionSetRead, list[QuestionRead]] | None:
        async with read_connection(self._engine) as connection:
            row = (await connection.execute(_SET_WITH_FOLDER, {"member_id": member_id, "set_id": set_id})).first()
            if row is None:
                return None
            rows = (await connection.execute(_QUESTIONS_OF_SET, {"set_id": set_id})).all()
        return _set(row), [QuestionRead(*q) for q in rows]

    async def page(self, member_id: int, folder_id: int | None, cursor: int | None, size: int) -> list[QuestionSetRead]:
        query = _live_sets(member_id)
        if folder_id is not None:
            query = query.where(_sets.folder_id == folder_id)
        if cursor is not None:
            query = query.where(_sets.id < cursor)
        async with read_connection(self._engine) as connection:
            rows = (await connection.execute(query.order_by(_sets.id.desc()).limit(size))).all()
        return [_set(row) for row in rows]

    async def all(self, member_id: int) -> list[QuestionSetRead]:
        async with read_connection(self._engine) as connection:
            rows = (await connection.execute(_live_sets(member_id).order_by(_sets.id.desc()))).all()
        return [_set(row) for row in rows]

    async def has_folder(self, member_id: int, folder_id: int) -> bool:
        query = select(_folders.id).where(
            _folders.id == folder_id, _folders.member_id == member_id, _folders.type == FolderType.QUESTION_SET
        )
        async with read_connection(self._engine) as connection:
            return (await connection.execute(query)).first() is not None

    async def source_names(self, member_id: int, source_ids: Collection[int]) -> dict[int, str]:
        sources = tables.learning_sources.c
        query = select(sources.id, sources.original_name).where(
            sources.member_id == member_id, sources.id.in_(list(source_ids))
        )
        async with read_connection(self._engine) as connection:
            return {row.id: row.original_name for row in await connection.execute(query)}

    async def learning_progress(self, member_id: int) -> int:
        solved = tables.solved_question_sets.c
        query = (
            select(func.count(), func.count(solved.id))
            .select_from(tables.question_sets)
            .outerjoin(
                tables.solved_question_sets,
                (solved.question_set_id == _sets.id) & (solved.member_id == member_id),
            )
            .where(
                _sets.member_id == member_id,
                _sets.status == QuestionSetStatus.COMPLETE,
                _sets.deleted_at.is_(None),
            )
        )
        async with read_connection(self._engine) as connection:
            complete, solved_count = (await connection.execute(query)).one()
        return int(solved_count) * 100 // int(complete) if complete else 0
