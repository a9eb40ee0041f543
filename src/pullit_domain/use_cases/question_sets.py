"""What a member does with question sets: ask for one, read, list, rename, move, delete, retry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from pullit_domain.errors import Code, InvalidInput, NotFound, TooManyRequests, Unprocessable
from pullit_domain.model.folder import FolderScope, FolderType
from pullit_domain.model.generation_job import GenerationJob
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import (
    IDEMPOTENCY_WINDOW,
    MAX_QUESTIONS,
    QuestionSet,
    QuestionSetStatus,
)
from pullit_domain.model.source import SourceStatus
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.question_set_reads import QuestionRead, QuestionSetRead, QuestionSetReads
from pullit_domain.ports.repository import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class GenerationPolicy:
    """Limits and timings of background generation (from settings)."""

    max_pending_per_member: int = 5
    max_attempts: int = 3
    retry_base: timedelta = timedelta(seconds=10)
    lease: timedelta = timedelta(minutes=5)
    stale_after: timedelta = timedelta(minutes=60)


@dataclass(frozen=True)
class NewQuestionSet:
    member_id: int
    source_ids: list[int]
    question_type: QuestionType
    difficulty: Difficulty
    question_count: int
    folder_id: int | None = None
    title: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class QuestionSetView:
    question_set: QuestionSetRead
    questions: list[QuestionRead]
    folder_name: str


async def all_folder(uow: UnitOfWork, member_id: int) -> int:
    """The member's ALL folder of question sets (every member has one from sign-up)."""
    folders = await uow.folders.list(member_id, FolderType.QUESTION_SET)
    for folder in folders:
        if folder.scope is FolderScope.ALL and folder.id is not None:
            return folder.id
    raise NotFound("the member has no question-set folder", Code.FOLDER_NOT_FOUND)


async def owned_folder(uow: UnitOfWork, member_id: int, folder_id: int) -> int:
    folder = await uow.folders.get(member_id, folder_id)
    if folder is None or folder.type is not FolderType.QUESTION_SET:
        raise NotFound(f"folder {folder_id} not found", Code.FOLDER_NOT_FOUND)
    return folder_id


class CreateQuestionSet:
    """Commit a PENDING set and its job in one transaction, then wake a worker."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, policy: GenerationPolicy, wake_worker: Callable[[], None]
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy
        self._wake = wake_worker

    async def __call__(self, request: NewQuestionSet) -> int:
        if not 1 <= request.question_count <= MAX_QUESTIONS:
            raise InvalidInput(f"questionCount must be between 1 and {MAX_QUESTIONS}")
        if not request.source_ids:
            raise InvalidInput("sourceIds must name at least one source", Code.QUESTION_SET_SOURCES)
        now = self._clock.now()
        async with self._uow() as uow:
            if request.idempotency_key:
                earlier = await uow.question_sets.by_idempotency_key(
                    request.member_id, request.idempotency_key, now - IDEMPOTENCY_WINDOW
                )
                if earlier is not None and earlier.id is not None:
                    return earlier.id
            if await uow.question_sets.count_pending(request.member_id) >= self._policy.max_pending_per_member:
                raise TooManyRequests(
                    f"at most {self._policy.max_pending_per_member} question sets may be in progress at once",
                    Code.QUESTION_SET_TOO_MANY_PENDING,
                )
            names = await self._ready_source_names(uow, request)
            folder_id = (
                await owned_folder(uow, request.member_id, request.folder_id)
                if request.folder_id is not None
                else await all_folder(uow, request.member_id)
            )
            question_set = QuestionSet(
                member_id=request.member_id,
                title=(request.title or "").strip()[:200] or names[0],
                question_type=request.question_type,
                difficulty=request.difficulty,
                question_count=request.question_count,
                source_ids=list(dict.fromkeys(request.source_ids)),
                folder_id=folder_id,
                created_at=now,
                updated_at=now,
                idempotency_key=request.idempotency_key,
            )
            await uow.question_sets.add(question_set)
            assert question_set.id is not None
            job = GenerationJob(
                question_set_id=question_set.id,
                member_id=request.member_id,
                created_at=now,
                available_at=now,
                max_attempts=self._policy.max_attempts,
            )
            await uow.jobs.add(job)
            await uow.commit()
        self._wake()
        return question_set.id

    @staticmethod
    async def _ready_source_names(uow: UnitOfWork, request: NewQuestionSet) -> list[str]:
        names = []
        for source_id in dict.fromkeys(request.source_ids):
            source = await uow.sources.get(request.member_id, source_id)
            if source is None or source.status is not SourceStatus.READY:
                raise InvalidInput(f"source {source_id} is not a ready source of yours", Code.QUESTION_SET_SOURCES)
            names.append(source.original_name)
        return names


class GetQuestionSet:
    """A set to solve. Reads only, so no unit of work: the read port answers in one or two queries."""

    def __init__(self, reads: QuestionSetReads) -> None:
        self._reads = reads

    async def __call__(self, member_id: int, set_id: int) -> QuestionSetView:
        found = await self._reads.with_questions(member_id, set_id)
        if found is None:
            raise NotFound(f"question set {set_id} not found", Code.QUESTION_SET_NOT_FOUND)
        question_set, questions = found
        if question_set.status is QuestionSetStatus.PENDING:
            raise InvalidInput("the question set is still being written", Code.QUESTION_SET_PENDING)
        if question_set.status is QuestionSetStatus.FAILED:
            raise Unprocessable(
                f"generation failed: {question_set.failure_reason or 'unknown reason'}", Code.QUESTION_SET_FAILED
            )
        if question_set.status is QuestionSetStatus.UNPROCESSABLE:
            raise Unprocessable(
                f"these sources cannot be made into questions: {question_set.failure_reason or 'unknown reason'}",
                Code.QUESTION_SET_UNPROCESSABLE,
            )
        return QuestionSetView(question_set, questions, question_set.folder_name)


async def _owned_set(uow: UnitOfWork, member_id: int, set_id: int) -> QuestionSet:
    question_set = await uow.question_sets.get(member_id, set_id)
    if question_set is None:
        raise NotFound(f"question set {set_id} not found", Code.QUESTION_SET_NOT_FOUND)
    return question_set


@dataclass(frozen=True)
class QuestionSetPage:
    items: list[QuestionSetRead]
    next_cursor: int | None
    source_names: dict[int, str]
    learning_progress: int = 0


class ListQuestionSets:
    """The list pages. Reads only: a few queries through the read port, no unit of work."""

    def __init__(self, reads: QuestionSetReads) -> None:
        self._reads = reads

    async def page(self, member_id: int, folder_id: int | None, cursor: int | None, size: int) -> QuestionSetPage:
        if folder_id is not None and not await self._reads.has_folder(member_id, folder_id):
            raise NotFound(f"folder {folder_id} not found", Code.FOLDER_NOT_FOUND)
        items = await self._reads.page(member_id, folder_id, cursor, size + 1)
        has_next = len(items) > size
        items = items[:size]
        page = await self._page(member_id, items, items[-1].id if has_next and items else None)
        return replace(page, learning_progress=await self._reads.learning_progress(member_id))

    async def all(self, member_id: int) -> QuestionSetPage:
        return await self._page(member_id, await self._reads.all(member_id), None)

    async def _page(self, member_id: int, items: list[QuestionSetRead], cursor: int | None) -> QuestionSetPage:
        wanted = {source_id for item in items for source_id in item.source_ids}
        names = await self._reads.source_names(member_id, wanted) if wanted else {}
        return QuestionSetPage(items, cursor, names)


class UpdateQuestionSet:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, member_id: int, set_id: int, title: str | None, folder_id: int | None) -> None:
        now = self._clock.now()
        async with self._uow() as uow:
            question_set = await _owned_set(uow, member_id, set_id)
            if title is not None:
                if not title.strip() or len(title) > 200:
                    raise InvalidInput("title must have 1 to 200 characters")
                question_set.rename(title.strip(), now)
            if folder_id is not None:
                question_set.move_to(await owned_folder(uow, member_id, folder_id), now)
            await uow.commit()


class DeleteQuestionSet:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, member_id: int, set_id: int) -> None:
        async with self._uow() as uow:
            question_set = await _owned_set(uow, member_id, set_id)
            question_set.delete(self._clock.now())
            await uow.commit()


class RetryQuestionSet:
    """A FAILED set goes back to PENDING with a fresh round of attempts."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, wake_worker: Callable[[], None]) -> None:
        self._uow = uow
        self._clock = clock
        self._wake = wake_worker

    async def __call__(self, member_id: int, set_id: int) -> None:
        now = self._clock.now()
        async with self._uow() as uow:
            question_set = await _owned_set(uow, member_id, set_id)
            question_set.retry(now)
            job = await uow.jobs.for_set(set_id)
            if job is None:
                job = GenerationJob(question_set_id=set_id, member_id=member_id, created_at=now, available_at=now)
                await uow.jobs.add(job)
            job.requeue_now(now)
            await uow.commit()
        self._wake()
