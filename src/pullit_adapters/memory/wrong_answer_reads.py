"""``WrongAnswerReads`` over any unit of work's repositories: the in-memory fakes' read side."""

from __future__ import annotations

from pullit_domain.model.folder import FolderScope
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.ports.wrong_answer_reads import WrongAnswerSetRead


class UnitOfWorkWrongAnswerReads:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def sets(
        self, member_id: int, folder_id: int | None, cursor: int | None, limit: int | None
    ) -> list[WrongAnswerSetRead]:
        folders: dict[int, str] = {}
        sources: dict[int, str] = {}
        reads = []
        async with self._uow() as uow:
            for group in await uow.wrong_answers.unreviewed_groups(member_id, folder_id, cursor, limit):
                question_set = await uow.question_sets.get(member_id, group.question_set_id)
                if question_set is None:
                    continue
                if question_set.folder_id not in folders:
                    folder = await uow.folders.get(member_id, question_set.folder_id)
                    folders[question_set.folder_id] = folder.name if folder else ""
                for source_id in question_set.source_ids:
                    if source_id not in sources:
                        # Deleted sources still name the sets made from them.
                        source = await uow.sources.by_id(source_id)
                        sources[source_id] = source.original_name if source and source.member_id == member_id else ""
                reads.append(
                    WrongAnswerSetRead(
                        question_set_id=group.question_set_id,
                        title=question_set.title,
                        question_type=question_set.question_type,
                        difficulty=question_set.difficulty,
                        folder_name=folders[question_set.folder_id],
                        source_names=[sources[s] for s in question_set.source_ids if sources[s]],
                        unreviewed_count=group.unreviewed_count,
                    )
                )
        return reads

    async def folder_scope(self, member_id: int, folder_id: int) -> FolderScope | None:
        async with self._uow() as uow:
            folder = await uow.folders.get(member_id, folder_id)
        return folder.scope if folder is not None else None
