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


# Every statement is built once, with bind parameters: building one and computing its cache
# key cost more than running it.
_MEMBER: BindParameter[int] = bindparam("member_id")
_SET_ID: BindParameter[int] = bindparam("set_id")
_SET_WITH_FOLDER = _live_sets(_MEMBER).where(_sets.id == _SET_ID)
_QUESTIONS_OF_SET = (
    select(*_QUESTION_COLUMNS).where(_questions.question_set_id == _SET_ID).order_by(_questions.position)
)
_NEWEST_FIRST = _live_sets(_MEMBER).order_by(_sets.id.desc())
# A list page, by (in one folder, below a cursor).
_PAGES = {
    (in_folder, below_cursor): _live_sets(_MEMBER)
    .where(*([_sets.folder_id == bindparam("folder_id")] if in_folder else []))
    .where(*([_sets.id < bindparam("cursor")] if below_cursor else []))
    .order_by(_sets.id.desc())
    .limit(bindparam("size"))
    for in_folder in (False, True)
    for below_cursor in (False, True)
}
_FOLDER = select(_folders.id).where(
    _folders.id == bindparam("folder_id"), _folders.member_id == _MEMBER, _folders.type == FolderType.QUESTION_SET
)
_sources = tables.learning_sources.c
_SOURCE_NAMES = select(_sources.id, _sources.original_name).where(
    _sources.member_id == _MEMBER, _sources.id.in_(bindparam("source_ids", expanding=True))
)
_solved = tables.solved_question_sets.c
_COMPLETE_AND_SOLVED = (
    select(func.count(), func.count(_solved.id))
    .select_from(tables.question_sets)
    .outerjoin(tables.solved_question_sets, (_solved.question_set_id == _sets.id) & (_solved.member_id == _MEMBER))
    .where(_sets.member_id == _MEMBER, _sets.status == QuestionSetStatus.COMPLETE, _sets.deleted_at.is_(None))
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
        query = _PAGES[folder_id is not None, cursor is not None]
        parameters = {"member_id": member_id, "folder_id": folder_id, "cursor": cursor, "size": size}
        async with read_connection(self._engine) as connection:
            rows = (await connection.execute(query, parameters)).all()
        return [_set(row) for row in rows]

    async def all(self, member_id: int) -> list[QuestionSetRead]:
        async with read_connection(self._engine) as connection:
            rows = (await connection.execute(_NEWEST_FIRST, {"member_id": member_id})).all()
        return [_set(row) for row in rows]

    async def has_folder(self, member_id: int, folder_id: int) -> bool:
        async with read_connection(self._engine) as connection:
            found = await connection.execute(_FOLDER, {"member_id": member_id, "folder_id": folder_id})
            return found.first() is not None

    async def source_names(self, member_id: int, source_ids: Collection[int]) -> dict[int, str]:
        async with read_connection(self._engine) as connection:
            rows = await connection.execute(_SOURCE_NAMES, {"member_id": member_id, "source_ids": list(source_ids)})
            return {row.id: row.original_name for row in rows}

    async def learning_progress(self, member_id: int) -> int:
        async with read_connection(self._engine) as connection:
            complete, solved_count = (await connection.execute(_COMPLETE_AND_SOLVED, {"member_id": member_id})).one()
        return int(solved_count) * 100 // int(complete) if complete else 0
