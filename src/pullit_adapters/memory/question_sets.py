"""In-memory question sets, questions and generation jobs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pullit_domain.model.generation_job import GenerationJob, JobStatus
from pullit_domain.model.question_set import Question, QuestionSet, QuestionSetStatus

QUESTION_SET_TABLES = ("question_sets", "questions", "generation_jobs")


class InMemoryQuestionSetRepository:
    def __init__(self, tables: dict[str, Any]) -> None:
        self._table = tables["question_sets"]

    def _live(self, member_id: int) -> list[QuestionSet]:
        sets: list[QuestionSet] = [
            s for s in self._table.rows.values() if s.member_id == member_id and s.deleted_at is None
        ]
        return sorted(sets, key=lambda s: s.id or 0, reverse=True)

    async def add(self, question_set: QuestionSet) -> None:
        self._table.insert(question_set)

    async def get(self, member_id: int, set_id: int) -> QuestionSet | None:
        found: QuestionSet | None = self._table.rows.get(set_id)
        if found is None or found.member_id != member_id or found.deleted_at is not None:
            return None
        return found

    async def by_id(self, set_id: int) -> QuestionSet | None:
        found: QuestionSet | None = self._table.rows.get(set_id)
        return found

    async def page(self, member_id: int, folder_id: int | None, cursor: int | None, size: int) -> list[QuestionSet]:
        sets = [
            s
            for s in self._live(member_id)
            if (folder_id is None or s.folder_id == folder_id) and (cursor is None or (s.id or 0) < cursor)
        ]
        return sets[:size]

    async def all(self, member_id: int) -> list[QuestionSet]:
        return self._live(member_id)

    async def count_pending(self, member_id: int) -> int:
        return sum(1 for s in self._live(member_id) if s.status is QuestionSetStatus.PENDING)

    async def pending_before(self, instant: datetime, limit: int) -> list[QuestionSet]:
        stale = [
            s
            for s in self._table.rows.values()
            if s.status is QuestionSetStatus.PENDING and s.deleted_at is None and s.created_at < instant
        ]
        return sorted(stale, key=lambda s: s.created_at)[:limit]

    async def move_folder(self, member_id: int, from_folder: int, to_folder: int) -> int:
        moved = [s for s in self._table.rows.values() if s.member_id == member_id and s.folder_id == from_folder]
        for question_set in moved:
            question_set.folder_id = to_folder
        return len(moved)

    async def count_in_folder(self, member_id: int, folder_id: int) -> int:
        return sum(1 for s in self._live(member_id) if s.folder_id == folder_id)


class InMemoryQuestionRepository:
    def __init__(self, tables: dict[str, Any]) -> None:
        self._table = tables["questions"]
        self._sets = tables["question_sets"]

    async def add(self, question: Question) -> None:
        self._table.insert(question)

    async def get(self, member_id: int, question_id: int) -> Question | None:
        found: Question | None = self._table.rows.get(question_id)
        return found if found is not None and found.member_id == member_id else None

    async def for_set(self, set_id: int) -> list[Question]:
        questions: list[Question] = [q for q in self._table.rows.values() if q.question_set_id == set_id]
        return sorted(questions, key=lambda q: (q.position, q.id or 0))

    async def for_ids(self, member_id: int, question_ids: list[int]) -> list[Question]:
        wanted = set(question_ids)
        return [q for q in self._table.rows.values() if q.id in wanted and q.member_id == member_id]

    async def live_for_ids(self, member_id: int, question_ids: Sequence[int]) -> list[Question]:
        found = []
        for question in await self.for_ids(member_id, list(question_ids)):
            question_set = self._sets.rows.get(question.question_set_id)
            if question_set is not None and question_set.deleted_at is None:
                found.append(question)
        return found

    async def delete(self, question: Question) -> None:
        self._table.rows.pop(question.id or 0, None)


class InMemoryGenerationJobRepository:
    def __init__(self, tables: dict[str, Any]) -> None:
        self._table = tables["generation_jobs"]

    async def add(self, job: GenerationJob) -> None:
        self._table.insert(job)

    async def claimable(self, now: datetime, limit: int) -> list[GenerationJob]:
        # The in-memory database serialises units of work, which is all the locking it needs.
        jobs: list[GenerationJob] = [j for j in self._table.rows.values() if j.claimable(now)]
        return sorted(jobs, key=lambda j: (j.available_at, j.id or 0))[:limit]

    async def for_set(self, set_id: int) -> GenerationJob | None:
        return next((j for j in self._table.rows.values() if j.question_set_id == set_id), None)

    async def next_due(self) -> datetime | None:
        due = [
            j.available_at if j.status is JobStatus.QUEUED else j.lease_expires_at
            for j in self._table.rows.values()
            if j.status is not JobStatus.DONE
        ]
        return min((d for d in due if d is not None), default=None)
