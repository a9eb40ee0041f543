"""``QuestionSetReads`` over any unit of work's repositories: the in-memory fakes' read side."""

from __future__ import annotations

from collections.abc import Collection

from pullit_domain.model.folder import FolderType
from pullit_domain.model.question_set import Question, QuestionSet, QuestionSetStatus
from pullit_domain.model.stats import learning_progress
from pullit_domain.ports.question_set_reads import QuestionRead, QuestionSetRead
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


def _question(question: Question) -> QuestionRead:
    assert question.id is not None
    return QuestionRead(
        id=question.id,
        question_type=question.question_type,
        text=question.text,
        answer=question.answer,
        explanation=question.explanation,
        options=list(question.options) if question.options is not None else None,
        source_id=question.source_id,
        page=question.page,
        quote=question.quote,
    )


async def _sets(uow: UnitOfWork, member_id: int, sets: list[QuestionSet]) -> list[QuestionSetRead]:
    names = {f.id: f.name for f in await uow.folders.list(member_id, FolderType.QUESTION_SET)}
    reads = []
    for item in sets:
        assert item.id is not None
        reads.append(
            QuestionSetRead(
                id=item.id,
                member_id=item.member_id,
                title=item.title,
                question_type=item.question_type,
                difficulty=item.difficulty,
                question_count=item.question_count,
                source_ids=list(item.source_ids),
                folder_id=item.folder_id,
                folder_name=names.get(item.folder_id, ""),
                status=item.status,
                failure_reason=item.failure_reason,
                created_at=item.created_at,
                updated_at=item.updated_at,
                delivered_count=item.delivered_count,
            )
        )
    return reads


class UnitOfWorkQuestionSetReads:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def with_questions(self, member_id: int, set_id: int) -> tuple[QuestionSetRead, list[QuestionRead]] | None:
        async with self._uow() as uow:
            found = await uow.question_sets.get(member_id, set_id)
            if found is None:
                return None
            questions = await uow.questions.for_set(set_id)
            return (await _sets(uow, member_id, [found]))[0], [_question(q) for q in questions]

    async def page(self, member_id: int, folder_id: int | None, cursor: int | None, size: int) -> list[QuestionSetRead]:
        async with self._uow() as uow:
            return await _sets(uow, member_id, await uow.question_sets.page(member_id, folder_id, cursor, size))

    async def all(self, member_id: int) -> list[QuestionSetRead]:
        async with self._uow() as uow:
            return await _sets(uow, member_id, await uow.question_sets.all(member_id))

    async def has_folder(self, member_id: int, folder_id: int) -> bool:
        async with self._uow() as uow:
            folder = await uow.folders.get(member_id, folder_id)
        return folder is not None and folder.type is FolderType.QUESTION_SET

    async def source_names(self, member_id: int, source_ids: Collection[int]) -> dict[int, str]:
        names = {}
        async with self._uow() as uow:
            for source_id in source_ids:
                source = await uow.sources.by_id(source_id)
                if source is not None and source.member_id == member_id and source.id is not None:
                    names[source.id] = source.original_name
        return names

    async def learning_progress(self, member_id: int) -> int:
        async with self._uow() as uow:
            sets = await uow.question_sets.all(member_id)
            solved = await uow.learning_stats.solved_set_ids(member_id)
        complete = {s.id for s in sets if s.status is QuestionSetStatus.COMPLETE and s.id is not None}
        return learning_progress(complete, solved)
