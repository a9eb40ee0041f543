"""What a member does with question sets: ask for one, read, list, rename, move, delete, retry."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from pullit_domain.errors import Code, Conflict, InvalidInput, NotFound, TooManyRequests, Unprocessable
from pullit_domain.events import QuestionSetRequested
from pullit_domain.idempotency import remember, replayed
from pullit_domain.model.folder import FolderScope, FolderType
from pullit_domain.model.generation_job import GenerationJob
from pullit_domain.model.idempotency import IdempotentRequest
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import (
    MAX_QUESTIONS,
    Question,
    QuestionSet,
    QuestionSetStatus,
)
from pullit_domain.model.source import SourceStatus
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.repository import UnitOfWork, UnitOfWorkFactory
from pullit_domain.use_cases.stats import learning_progress_of


@dataclass(frozen=True)
class GenerationPolicy:
    """Limits and timings of background generation (from settings)."""

    max_pending_per_member: int = 5
    max_attempts: int = 3
    retry_base: timedelta = timedelta(seconds=10)
    lease: timedelta = timedelta(seconds=30)
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
    question_set: QuestionSet
    questions: list[Question]
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


IDEMPOTENCY_SCOPE = "question-set"


def _meaning(request: NewQuestionSet) -> dict[str, object]:
    """What the client asked for, for the idempotency fingerprint (the key itself is not part of it)."""
    return {
        "sourceIds": request.source_ids,
        "type": request.question_type.value,
        "difficulty": request.difficulty.value,
        "questionCount": request.question_count,
        "folderId": request.folder_id,
        "title": request.title,
    }


class CreateQuestionSet:
    """Commit a PENDING set and its job in one transaction; a worker hears of it after the commit."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, policy: GenerationPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self, request: NewQuestionSet) -> int:
        if not 1 <= request.question_count <= MAX_QUESTIONS:
            raise InvalidInput(f"questionCount must be between 1 and {MAX_QUESTIONS}")
        if not request.source_ids:
            raise InvalidInput("sourceIds must name at least one source", Code.QUESTION_SET_SOURCES)
        idempotent = IdempotentRequest.of(IDEMPOTENCY_SCOPE, request.idempotency_key, _meaning(request))
        try:
            set_id = await self._create(request, idempotent)
        except Conflict as conflict:
            if idempotent is None or conflict.code is Code.IDEMPOTENCY_KEY_REUSED:
                raise
            # The unique key caught a racer that got past the member lock: answer with its set.
            async with self._uow() as uow:
                earlier = await replayed(uow, request.member_id, idempotent, self._clock.now())
            if earlier is None:
                raise
            return earlier
        return set_id

    async def _create(self, request: NewQuestionSet, idempotent: IdempotentRequest | None) -> int:
        now = self._clock.now()
        async with self._uow() as uow:
            # Serialises this member's creations, so the key lookup and the pending count
            # below cannot both be passed by two concurrent requests.
            await uow.members.lock(request.member_id)
            earlier = await replayed(uow, request.member_id, idempotent, now)
            if earlier is not None:
                return earlier
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
            await remember(uow, request.member_id, idempotent, question_set.id, now)
            uow.record(QuestionSetRequested(question_set.id))
            await uow.commit()
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
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, member_id: int, set_id: int) -> QuestionSetView:
        async with self._uow() as uow:
            question_set = await _owned_set(uow, member_id, set_id)
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
            questions = await uow.questions.for_set(set_id)
            folder = await uow.folders.get(member_id, question_set.folder_id)
        return QuestionSetView(question_set, questions, folder.name if folder else "")


async def _owned_set(uow: UnitOfWork, member_id: int, set_id: int) -> QuestionSet:
    question_set = await uow.question_sets.get(member_id, set_id)
    if question_set is None:
        raise NotFound(f"question set {set_id} not found", Code.QUESTION_SET_NOT_FOUND)
    return question_set


@dataclass(frozen=True)
class QuestionSetPage:
    items: list[QuestionSet]
    next_cursor: int | None
    folder_names: dict[int, str]
    source_names: dict[int, str]
    learning_progress: int = 0


class ListQuestionSets:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def page(self, member_id: int, folder_id: int | None, cursor: int | None, size: int) -> QuestionSetPage:
        async with self._uow() as uow:
            if folder_id is not None:
                await owned_folder(uow, member_id, folder_id)
            items = await uow.question_sets.page(member_id, folder_id, cursor, size + 1)
            has_next = len(items) > size
            items = items[:size]
            page = await self._page(uow, member_id, items, items[-1].id if has_next and items else None)
            return replace(page, learning_progress=await learning_progress_of(uow, member_id))

    async def all(self, member_id: int) -> QuestionSetPage:
        async with self._uow() as uow:
            return await self._page(uow, member_id, await uow.question_sets.all(member_id), None)

    @staticmethod
    async def _page(uow: UnitOfWork, member_id: int, items: list[QuestionSet], cursor: int | None) -> QuestionSetPage:
        folders = await uow.folders.list(member_id, FolderType.QUESTION_SET)
        sources = {s.source.id: s.source.original_name for s in await uow.sources.summaries(member_id) if s.source.id}
        missing = {sid for item in items for sid in item.source_ids if sid not in sources}
        for source_id in missing:
            # Deleted sources no longer list, but the sets made from them still name them.
            source = await uow.sources.by_id(source_id)
            if source is not None and source.member_id == member_id:
                sources[source_id] = source.original_name
        return QuestionSetPage(items, cursor, {f.id: f.name for f in folders if f.id is not None}, sources)


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

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

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
            uow.record(QuestionSetRequested(set_id))
            await uow.commit()
