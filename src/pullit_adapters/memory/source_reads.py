"""``SourceReads`` over any unit of work's repositories: the in-memory fakes' read side."""

from __future__ import annotations

from pullit_domain.ports.source_reads import SourceRead
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory


class UnitOfWorkSourceReads:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def all(self, member_id: int) -> list[SourceRead]:
        async with self._uow() as uow:
            summaries = await uow.sources.summaries(member_id)
        reads = []
        for summary in summaries:
            source = summary.source
            assert source.id is not None
            reads.append(
                SourceRead(
                    id=source.id,
                    original_name=source.original_name,
                    folder_name=summary.folder_name,
                    status=source.status,
                    page_count=source.page_count,
                    size_bytes=source.size_bytes,
                    created_at=source.created_at,
                    question_set_count=summary.question_set_count,
                    recent_question_generated_at=summary.recent_question_generated_at,
                )
            )
        return reads
