"""Background generation: claim a job, write the set, settle it exactly once.

The model call happens between two short transactions, never inside one. Only the worker
holding the job's current lease may settle it, so a worker that was presumed dead and
comes back late changes nothing.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pullit_domain.errors import Conflict
from pullit_domain.job_pages import JobPages
from pullit_domain.messages import Message, msg
from pullit_domain.model.generation_job import GenerationJob
from pullit_domain.model.notification import QuestionSetCompletion
from pullit_domain.model.question_set import Question, QuestionSet, QuestionSetStatus
from pullit_domain.model.source import LearningSource, SourceStatus
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.documents import PageText
from pullit_domain.ports.file_store import FileStore
from pullit_domain.ports.llm import (
    LLM,
    GenerationFailed,
    GenerationImpossible,
    GenerationSpec,
    SourceDocument,
)
from pullit_domain.ports.messages import ENGLISH, Messages
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from pullit_domain.screening import ScreeningTally
from pullit_domain.use_cases.grounded_writing import WriteGroundedSet, WrittenSet
from pullit_domain.use_cases.notifications import record_in_outbox
from pullit_domain.use_cases.question_sets import GenerationPolicy

log = logging.getLogger("pullit.generation")


class Outcome(StrEnum):
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"
    UNPROCESSABLE = "UNPROCESSABLE"
    RETRY = "RETRY"
    LOST_LEASE = "LOST_LEASE"


@dataclass(frozen=True)
class ClaimedJob:
    job_id: int
    question_set_id: int
    attempt: int


@dataclass(frozen=True)
class GenerationSettings:
    """How documents reach the model."""

    # None: each member's own language; else every set is written in this one.
    language: str | None = None
    max_pages: int = 100
    # Only a store the model's service can reach (S3) should hand it download URLs.
    share_download_urls: bool = False
    download_url_lifetime: timedelta = timedelta(minutes=15)


async def member_language(uow: UnitOfWork, member_id: int) -> str | None:
    member = await uow.members.get(member_id)
    return member.language if member else None


async def record_settlement(
    uow: UnitOfWork, question_set: QuestionSet, at: datetime, messages: Messages = ENGLISH
) -> None:
    """The learner's tabs hear about success and failure alike (transactional outbox), in the
    member's language: no request is there to ask."""
    assert question_set.id is not None
    language = await member_language(uow, question_set.member_id)
    requested = question_set.question_count
    if question_set.status is QuestionSetStatus.COMPLETE:
        delivered = question_set.delivered
        ready = (
            msg("'{title}' is ready.", title=question_set.title)
            if delivered >= requested
            else msg(
                "'{title}' is ready with {delivered} of {requested} questions: "
                "the others could not be checked against the material.",
                title=question_set.title,
                delivered=delivered,
                requested=requested,
            )
        )
        event = QuestionSetCompletion.complete(question_set.id, messages.render(ready, language), requested, delivered)
    else:
        # The reason was rendered in the member's language when the set was settled.
        reason = question_set.failure_reason or msg("unknown reason")
        message = messages.render(
            msg("'{title}' could not be made: {reason}", title=question_set.title, reason=reason), language
        )
        if question_set.status is QuestionSetStatus.UNPROCESSABLE:
            event = QuestionSetCompletion.unprocessable(question_set.id, message, requested)
        else:
            event = QuestionSetCompletion.failed(question_set.id, message, requested)
    await record_in_outbox(uow, question_set.member_id, event.notification(), at)


async def settle_reason(uow: UnitOfWork, question_set: QuestionSet, reason: Message, messages: Messages) -> str:
    """A failure reason as the set's learner will read it (stored, and shown without a request)."""
    return messages.render(reason, await member_language(uow, question_set.member_id))


class ClaimGenerationJob:
    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, policy: GenerationPolicy, messages: Messages = ENGLISH
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy
        self._messages = messages

    async def __call__(self, owner: str, tries: int = 3) -> ClaimedJob | None:
        for _ in range(tries):
            try:
                return await self._claim(owner)
            except Conflict:
                continue  # another worker leased the same job first; look again
        return None

    async def _claim(self, owner: str) -> ClaimedJob | None:
        now = self._clock.now()
        async with self._uow() as uow:
            for job in await uow.jobs.claimable(now, limit=5):
                if job.claimable(now) and await self._still_wanted(uow, job, now):
                    job.lease(owner, now, self._policy.lease)
                    await uow.commit()
                    assert job.id is not None
                    return ClaimedJob(job.id, job.question_set_id, job.attempts)
            await uow.commit()
        return None

    async def _still_wanted(self, uow: UnitOfWork, job: GenerationJob, now: datetime) -> bool:
        """Settle what must not run again: deleted sets, and jobs whose workers kept dying."""
        question_set = await uow.question_sets.by_id(job.question_set_id)
        if question_set is None or question_set.deleted_at is not None or not question_set.is_pending:
            job.finish("question set deleted or already settled")
            return False
        if not job.attempts_left:
            interrupted = msg("generation was interrupted too many times")
            question_set.fail(await settle_reason(uow, question_set, interrupted, self._messages), now)
            job.finish(str(interrupted))
            await record_settlement(uow, question_set, now, self._messages)
            return False
        return True


class RenewGenerationLease:
    """The heartbeat of a running job: extend its lease; ``False`` once the lease was lost."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, policy: GenerationPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy

    async def __call__(self, claimed: ClaimedJob, owner: str) -> bool:
        now = self._clock.now()
        try:
            async with self._uow() as uow:
                job = await uow.jobs.for_set(claimed.question_set_id)
                if job is None or not job.renew(owner, now, self._policy.lease):
                    return False
                await uow.commit()
        except Conflict:
            return False  # another worker took the job over between our read and write
        return True


class GenerateQuestionSet:
    """Run one claimed job to an outcome.

    Every document is read from the store once per job. Before the writer is asked, a
    document without any text (a scan) is refused; afterwards each page a quote needs is
    read once (``JobPages``), not once per question.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        llm: LLM,
        store: FileStore,
        policy: GenerationPolicy,
        settings: GenerationSettings,
        page_text: PageText,
        rng: random.Random | None = None,
        on_screened: Callable[[ScreeningTally], None] = lambda _: None,
        messages: Messages = ENGLISH,
    ) -> None:
        self._messages = messages
        self._uow = uow
        self._clock = clock
        self._write = WriteGroundedSet(llm, on_screened)
        self._store = store
        self._policy = policy
        self._settings = settings
        self._page_text = page_text
        self._rng = rng or random.Random()

    async def __call__(self, claimed: ClaimedJob, owner: str) -> Outcome:
        async with self._uow() as uow:
            question_set = await uow.question_sets.by_id(claimed.question_set_id)
            sources = [
                await uow.sources.by_id(source_id) for source_id in (question_set.source_ids if question_set else [])
            ]
            language = await member_language(uow, question_set.member_id) if question_set else None
        if question_set is None:
            return Outcome.LOST_LEASE
        written: WrittenSet | None = None
        error: GenerationFailed | GenerationImpossible
        try:
            documents, pages = await self._documents(sources)
            spec = GenerationSpec(
                question_set.question_type,
                question_set.difficulty,
                question_set.question_count,
                question_set.language or self._settings.language or language or self._messages.default_language,
            )
            written = await self._write(documents, pages, spec, question_set.id)
        except GenerationImpossible as impossible:
            error = impossible
        except GenerationFailed as failed:
            error = failed
        except Exception as unexpected:
            log.exception("generation raised unexpectedly", extra={"fields": {"questionSetId": question_set.id}})
            error = GenerationFailed("unexpected error: {kind}", kind=type(unexpected).__name__)
        return await self._settle(claimed, owner, written, None if written else error)

    async def _documents(self, sources: list[LearningSource | None]) -> tuple[list[SourceDocument], JobPages]:
        documents = []
        contents: dict[int, tuple[bytes, str]] = {}
        for source in sources:
            if source is None or source.status is SourceStatus.DELETED:
                raise GenerationImpossible("a source of this set was deleted before it could be read")
            if source.page_count is None:
                raise GenerationImpossible(
                    "'{original_name}' cannot be read (it is encrypted or damaged)", original_name=source.original_name
                )
            if source.page_count > self._settings.max_pages:
                raise GenerationImpossible(
                    "'{original_name}' has {page_count} pages; the limit is {max_pages}",
                    original_name=source.original_name,
                    page_count=source.page_count,
                    max_pages=self._settings.max_pages,
                )
            assert source.id is not None
            # Kept for the job: the writer's quotes are checked against these bytes' pages.
            data = await self._store.read(source.object_key)
            if not await self._page_text.has_text(data, source.original_name):
                raise GenerationImpossible(
                    "'{name}' has no text layer (is it a scanned image?): questions are only made from text they "
                    "can be checked against, so upload a PDF whose text can be selected",
                    name=source.original_name,
                )
            contents[source.id] = (data, source.original_name)
            url = None
            if self._settings.share_download_urls:
                url = (await self._store.presign_download(source.object_key, self._settings.download_url_lifetime)).url
            documents.append(
                SourceDocument(
                    source_id=source.id,
                    name=source.original_name,
                    content_type=source.content_type,
                    size=source.size_bytes,
                    read=lambda data=data: _ready(data),  # type: ignore[misc]
                    download_url=url,
                )
            )
        return documents, JobPages(self._page_text, contents)

    async def _settle(
        self,
        claimed: ClaimedJob,
        owner: str,
        written: WrittenSet | None,
        error: GenerationFailed | GenerationImpossible | None,
    ) -> Outcome:
        now = self._clock.now()
        async with self._uow() as uow:
            job = await uow.jobs.for_set(claimed.question_set_id)
            question_set = await uow.question_sets.by_id(claimed.question_set_id)
            if job is None or question_set is None or not job.held_by(owner, now):
                return Outcome.LOST_LEASE
            if not question_set.is_pending or question_set.deleted_at is not None:
                job.finish("question set deleted or already settled")
                await uow.commit()
                return Outcome.LOST_LEASE
            if written is not None and written.enough:
                outcome = await self._complete(uow, question_set, written, now)
                job.finish()
            elif written is not None:
                # Asking once more was part of this attempt; a set the material cannot ground fails.
                question_set.add_tokens(written.input_tokens, written.output_tokens)
                too_few = msg(
                    "only {delivered} of {requested} questions could be checked against the material "
                    "(at least {needed} are needed)",
                    delivered=written.delivered,
                    requested=written.requested,
                    needed=(written.requested + 1) // 2,
                )
                question_set.fail(await settle_reason(uow, question_set, too_few, self._messages), now)
                job.finish(str(too_few))
                outcome = Outcome.FAILED
            elif isinstance(error, GenerationImpossible):
                question_set.refuse(await settle_reason(uow, question_set, error.message, self._messages), now)
                job.finish(error.reason)
                outcome = Outcome.UNPROCESSABLE
            else:
                assert isinstance(error, GenerationFailed)
                if job.attempts_left:
                    job.back_off(error.reason, now, self._policy.retry_base, error.retry_after, self._rng)
                    await uow.commit()
                    log.info("generation will be retried", extra={"fields": {"questionSetId": question_set.id}})
                    return Outcome.RETRY
                question_set.fail(await settle_reason(uow, question_set, error.message, self._messages), now)
                job.finish(error.reason)
                outcome = Outcome.FAILED
            await record_settlement(uow, question_set, now, self._messages)
            await uow.commit()
        return outcome

    @staticmethod
    async def _complete(uow: UnitOfWork, question_set: QuestionSet, written: WrittenSet, now: datetime) -> Outcome:
        assert question_set.id is not None
        for position, item in enumerate(written.questions):
            # Only grounded questions reach here: WriteGroundedSet keeps nothing without a checked quote.
            assert item.quote
            question = Question(
                question_set_id=question_set.id,
                member_id=question_set.member_id,
                question_type=item.question_type,
                text=item.text,
                answer=item.answer,
                explanation=item.explanation,
                position=position,
                options=list(item.options) if item.options is not None else None,
                source_id=item.source_id,
                page=item.page,
                quote=item.quote,
            )
            await uow.questions.add(question)
        question_set.complete(written.title, written.delivered, written.input_tokens, written.output_tokens, now)
        return Outcome.COMPLETE


async def _ready(data: bytes) -> bytes:
    return data


class ExpireStalePendingSets:
    """A set PENDING for longer than the policy allows becomes FAILED, and its learner hears so."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, policy: GenerationPolicy, messages: Messages = ENGLISH
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy
        self._messages = messages

    async def __call__(self, limit: int = 50) -> int:
        now = self._clock.now()
        async with self._uow() as uow:
            stale = await uow.question_sets.pending_before(now - self._policy.stale_after, limit)
            for question_set in stale:
                too_long = msg("generation took too long")
                question_set.fail(await settle_reason(uow, question_set, too_long, self._messages), now)
                assert question_set.id is not None
                job = await uow.jobs.for_set(question_set.id)
                if job is not None:
                    job.finish("expired")
                await record_settlement(uow, question_set, now, self._messages)
            await uow.commit()
        return len(stale)
