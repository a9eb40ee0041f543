"""``WrongAnswerReads`` in SQLAlchemy Core: a page of the note in two statements."""

from __future__ import annotations

from sqlalchemy import Subquery, false, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from pullit_adapters.sql import tables
from pullit_adapters.sql.reads import read_connection
from pullit_domain.model.folder import FolderScope
from pullit_domain.ports.wrong_answer_reads import WrongAnswerSetRead

_entries = tables.wrong_answers.c
_sets = tables.question_sets.c
_folders = tables.common_folders.c
_sources = tables.learning_sources.c


def _waiting(member_id: int, folder_id: int | None, cursor: int | None, limit: int | None) -> Subquery:
    """The page's set ids and unreviewed counts.

    Grouped by the set id alone, apart from the sets' other columns (grouping by the JSON
    ``source_ids`` would sort through a temporary table on MariaDB): the member's live sets are
    read index-only in id order, each probed in ``(member_id, reviewed, question_set_id)``, and
    the scan stops after ``limit`` sets (docs/performance.md).
    """
    query = (
        select(_entries.question_set_id, func.count().label("unreviewed"))
        .join(tables.question_sets, _sets.id == _entries.question_set_id)
        .where(
            _entries.member_id == member_id,
            # '= false', not 'IS false': MariaDB uses only an equality on the index's reviewed column.
            _entries.reviewed == false(),
            _sets.member_id == member_id,
            _sets.deleted_at.is_(None),
        )
        .group_by(_entries.question_set_id)
        .order_by(_entries.question_set_id.desc())
    )
    if folder_id is not None:
        query = query.where(_sets.folder_id == folder_id)
    if cursor is not None:
        query = query.where(_entries.question_set_id < cursor)
    if limit is not None:
        query = query.limit(limit)
    return query.subquery()


class SqlWrongAnswerReads:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def sets(
        self, member_id: int, folder_id: int | None, cursor: int | None, limit: int | None
    ) -> list[WrongAnswerSetRead]:
        waiting = _waiting(member_id, folder_id, cursor, limit)
        query = (
            select(
                _sets.id,
                _sets.title,
                _sets.question_type,
                _sets.difficulty,
                _folders.name,
                _sets.source_ids,
                waiting.c.unreviewed,
            )
            .join_from(waiting, tables.question_sets, _sets.id == waiting.c.question_set_id)
            .join(tables.common_folders, _folders.id == _sets.folder_id)
            .order_by(_sets.id.desc())
        )
        async with read_connection(self._engine) as connection:
            rows = (await connection.execute(query)).all()
            named = {source_id for row in rows for source_id in row.source_ids}
            names: dict[int, str] = {}
            if named:
                # Deleted sources included: sets go on naming them.
                owned = select(_sources.id, _sources.original_name).where(
                    _sources.member_id == member_id, _sources.id.in_(sorted(named))
                )
                names = {row.id: row.original_name for row in await connection.execute(owned)}
        return [
            WrongAnswerSetRead(
                question_set_id=row.id,
                title=row.title,
                question_type=row.question_type,
                difficulty=row.difficulty,
                folder_name=row.name,
                source_names=[names[s] for s in row.source_ids if s in names],
                unreviewed_count=int(row.unreviewed),
            )
            for row in rows
        ]

    async def folder_scope(self, member_id: int, folder_id: int) -> FolderScope | None:
        query = select(_folders.scope).where(_folders.id == folder_id, _folders.member_id == member_id)
        async with read_connection(self._engine) as connection:
            scope: FolderScope | None = (await connection.execute(query)).scalar_one_or_none()
        return scope
