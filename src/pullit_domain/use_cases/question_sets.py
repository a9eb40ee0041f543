"""What a member does with question sets: ask for one, read, list, rename, move, delete, retry."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from pullit_domain.errors import Code, Conflict, InvalidInput, NotFound, TooManyRequests, Unprocessable
from pullit_domain.events import QuestionSetRequested
from pullit_domain.idempotency import remember, replayed
from pullit_domain.messages import msg
from pullit_domain.model.folder import FolderScope, FolderType
from pullit_domain.model.generation_job import GenerationJob
from pullit_domain.model.idempotency import IdempotentRequest
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import (
    MAX_QUESTIONS,
    QuestionSet,
    QuestionSetStatus,
)
from pullit_domain.model.source import SourceStatus
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.question_set_reads import QuestionRead, QuestionSetRead, QuestionSetReads
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


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
    language: str | None = None


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
        raise NotFound("folder {folder_id} not found", Code.FOLDER_NOT_FOUND, folder_id=folder_id)
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
            raise InvalidInput("questionCount must be between 1 and {max_count}", max_count=MAX_QUESTIONS)
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
                    "at most {max_pending_per_member} question sets may be in progress at once",
                    Code.QUESTION_SET_TOO_MANY_PENDING,
                    max_pending_per_member=self._policy.max_pending_per_member,
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
                language=request.language,
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
                raise InvalidInput(
                    "source {source_id} is not a ready source of yours", Code.QUESTION_SET_SOURCES, source_id=source_id
                )
            names.append(source.original_name)
        return names


class GetQuestionSet:
    """A set to solve. Reads only, so no unit of work: the read port answers in one or two queries."""

    def __init__(self, reads: QuestionSetReads) -> None:
        self._reads = reads

    async def __call__(self, member_id: int, set_id: int) -> QuestionSetView:
        found = await self._reads.with_questions(member_id, set_id)
        if found is None:
            raise NotFound("question set {set_id} not found", Code.QUESTION_SET_NOT_FOUND, set_id=set_id)
        question_set, questions = found
        if question_set.status is QuestionSetStatus.PENDING:
            raise InvalidInput("the question set is still being written", Code.QUESTION_SET_PENDING)
        if question_set.status is QuestionSetStatus.FAILED:
            raise Unprocessable(
                "generation failed: {reason}",
                Code.QUESTION_SET_FAILED,
                reason=question_set.failure_reason or msg("unknown reason"),
            )
        if question_set.status is QuestionSetStatus.UNPROCESSABLE:
            raise Unprocessable(
                "these sources cannot be made into questions: {reason}",
                Code.QUESTION_SET_UNPROCESSABLE,
                reason=question_set.failure_reason or msg("unknown reason"),
            )
        return QuestionSetView(question_set, questions, question_set.folder_name)


async def _owned_set(uow: UnitOfWork, member_id: int, set_id: int) -> QuestionSet:
    question_set = await uow.question_sets.get(member_id, set_id)
    if question_set is None:
        raise NotFound("question set {set_id} not found", Code.QUESTION_SET_NOT_FOUND, set_id=set_id)
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
            raise NotFound("folder {folder_id} not found", Code.FOLDER_NOT_FOUND, folder_id=folder_id)
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
            # The set is only soft-deleted, so no foreign key removes its cards from the review queue.
            await uow.review_cards.delete_for_set(member_id, set_id)
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
