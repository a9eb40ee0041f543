from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pullit_adapters.sql import tables
from pullit_adapters.sql.batch import from_row
from pullit_domain.model.generation_job import GenerationJob, JobStatus
from pullit_domain.model.question_set import Question, QuestionSet, QuestionSetStatus

_q, _s = tables.questions.c, tables.question_sets.c
# The member's questions among some ids whose set is not deleted: marking's one read.
_LIVE_QUESTIONS = (
    select(*tables.questions.c)
    .join(tables.question_sets, _s.id == _q.question_set_id)
    .where(
        _q.member_id == bindparam("member_id"),
        _q.id.in_(bindparam("ids", expanding=True)),
        _s.deleted_at.is_(None),
    )
)


class SqlQuestionSetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, question_set: QuestionSet) -> None:
        self._session.add(question_set)
        await self._session.flush()

    async def get(self, member_id: int, set_id: int) -> QuestionSet | None:
        query = select(QuestionSet).filter_by(id=set_id, member_id=member_id, deleted_at=None)
        return (await self._session.scalars(query)).one_or_none()

    async def by_id(self, set_id: int) -> QuestionSet | None:
        return await self._session.get(QuestionSet, set_id)

    async def page(self, member_id: int, folder_id: int | None, cursor: int | None, size: int) -> list[QuestionSet]:
        query = select(QuestionSet).filter_by(member_id=member_id, deleted_at=None)
        if folder_id is not None:
            query = query.filter_by(folder_id=folder_id)
        if cursor is not None:
            query = query.where(tables.question_sets.c.id < cursor)
        query = query.order_by(tables.question_sets.c.id.desc()).limit(size)
        return list((await self._session.scalars(query)).all())

    async def all(self, member_id: int) -> list[QuestionSet]:
        query = (
            select(QuestionSet)
            .filter_by(member_id=member_id, deleted_at=None)
            .order_by(tables.question_sets.c.id.desc())
        )
        return list((await self._session.scalars(query)).all())

    async def count_pending(self, member_id: int) -> int:
        query = (
            select(func.count())
            .select_from(tables.question_sets)
            .filter_by(member_id=member_id, status=QuestionSetStatus.PENDING, deleted_at=None)
        )
        return int((await self._session.execute(query)).scalar_one())

    async def pending_before(self, instant: datetime, limit: int) -> list[QuestionSet]:
        query = (
            select(QuestionSet)
            .filter_by(status=QuestionSetStatus.PENDING, deleted_at=None)
            .where(tables.question_sets.c.created_at < instant)
            .order_by(tables.question_sets.c.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list((await self._session.scalars(query)).all())

    async def move_folder(self, member_id: int, from_folder: int, to_folder: int) -> int:
        statement = (
            update(tables.question_sets)
            .where(tables.question_sets.c.member_id == member_id, tables.question_sets.c.folder_id == from_folder)
            .values(folder_id=to_folder)
            .execution_options(synchronize_session="fetch")
        )
        result = await self._session.execute(statement)
        return int(getattr(result, "rowcount", 0) or 0)

    async def count_in_folder(self, member_id: int, folder_id: int) -> int:
        query = (
            select(func.count())
            .select_from(tables.question_sets)
            .filter_by(member_id=member_id, folder_id=folder_id, deleted_at=None)
        )
        return int((await self._session.execute(query)).scalar_one())


class SqlQuestionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, question: Question) -> None:
        self._session.add(question)
        await self._session.flush()

    async def get(self, member_id: int, question_id: int) -> Question | None:
        query = select(Question).filter_by(id=question_id, member_id=member_id)
        return (await self._session.scalars(query)).one_or_none()

    async def for_set(self, set_id: int) -> list[Question]:
        query = (
            select(Question)
            .filter_by(question_set_id=set_id)
            .order_by(tables.questions.c.position, tables.questions.c.id)
        )
        return list((await self._session.scalars(query)).all())

    async def for_ids(self, member_id: int, question_ids: list[int]) -> list[Question]:
        if not question_ids:
            return []
        query = select(Question).filter_by(member_id=member_id).where(tables.questions.c.id.in_(question_ids))
        return list((await self._session.scalars(query)).all())

    async def live_for_ids(self, member_id: int, question_ids: Sequence[int]) -> list[Question]:
        if not question_ids:
            return []
        rows = await self._session.execute(_LIVE_QUESTIONS, {"member_id": member_id, "ids": list(question_ids)})
        # Plain instances, not in the session: marking only reads them.
        return [from_row(Question, row) for row in rows.mappings()]

    async def delete(self, question: Question) -> None:
        await self._session.delete(question)
        await self._session.flush()


class SqlGenerationJobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, job: GenerationJob) -> None:
        self._session.add(job)
        await self._session.flush()

    async def claimable(self, now: datetime, limit: int) -> list[GenerationJob]:
        jobs = tables.generation_jobs.c
        query = (
            select(GenerationJob)
            .where(
                or_(
                    and_(jobs.status == JobStatus.QUEUED, jobs.available_at <= now),
                    and_(jobs.status == JobStatus.RUNNING, jobs.lease_expires_at <= now),
                )
            )
            .order_by(jobs.available_at, jobs.id)
            .limit(limit)
            # Another worker's candidates are skipped, not waited for (SQLite ignores this and
            # serialises writers instead).
            .with_for_update(skip_locked=True)
        )
        return list((await self._session.scalars(query)).all())

    async def for_set(self, set_id: int) -> GenerationJob | None:
        query = select(GenerationJob).filter_by(question_set_id=set_id).with_for_update()
        return (await self._session.scalars(query)).one_or_none()

    async def next_due(self) -> datetime | None:
        jobs = tables.generation_jobs.c
        queued = select(func.min(jobs.available_at)).where(jobs.status == JobStatus.QUEUED)
        leased = select(func.min(jobs.lease_expires_at)).where(jobs.status == JobStatus.RUNNING)
        first = (await self._session.execute(queued)).scalar_one_or_none()
        second = (await self._session.execute(leased)).scalar_one_or_none()
        candidates = [d for d in (first, second) if d is not None]
        return min(candidates) if candidates else None
