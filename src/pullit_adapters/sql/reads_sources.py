"""``SourceReads`` in SQLAlchemy Core: the source list in two statements."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from pullit_adapters.sql import tables
from pullit_adapters.sql.reads import read_connection
from pullit_adapters.sql.repositories_sources import question_set_figures
from pullit_domain.model.source import SourceStatus
from pullit_domain.ports.source_reads import SourceRead

_sources = tables.learning_sources.c
_folders = tables.source_folders.c


class SqlSourceReads:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def all(self, member_id: int) -> list[SourceRead]:
        # (member_id, created_at) ends in the primary key: the rows come in index order, no sort.
        query = (
            select(
                _sources.id,
                _sources.original_name,
                _folders.name,
                _sources.status,
                _sources.page_count,
                _sources.size_bytes,
                _sources.created_at,
            )
            .join_from(tables.learning_sources, tables.source_folders, _folders.id == _sources.folder_id)
            .where(_sources.member_id == member_id, _sources.status != SourceStatus.DELETED)
            .order_by(_sources.created_at.desc(), _sources.id.desc())
        )
        async with read_connection(self._engine) as connection:
            rows = (await connection.execute(query)).all()
            figures = await question_set_figures(connection, member_id, [row.id for row in rows])
        return [SourceRead(*row, *figures.get(row.id, (0, None))) for row in rows]
