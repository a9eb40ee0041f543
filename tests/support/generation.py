"""A world of in-memory fakes for running generation jobs end to end in unit tests."""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from pullit_adapters.memory import CannedLLM, InMemoryDatabase, InMemoryFileStore, ManualClock, StaticPageText
from pullit_adapters.memory.question_set_reads import UnitOfWorkQuestionSetReads
from pullit_domain.events import Event
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.model.source import SourceStatus
from pullit_domain.ports.documents import PageText
from pullit_domain.ports.llm import LLM, GeneratedQuestionSet, GenerationSpec, Grade, SourceDocument
from pullit_domain.screening import ScreeningTally
from pullit_domain.use_cases.generation import ClaimGenerationJob, GenerateQuestionSet, GenerationSettings, Outcome
from pullit_domain.use_cases.members import SignUpMember
from pullit_domain.use_cases.question_sets import CreateQuestionSet, GenerationPolicy, GetQuestionSet, NewQuestionSet
from tests.support.source_rows import ready_source_row

POLICY = GenerationPolicy(max_pending_per_member=2, max_attempts=3, retry_base=timedelta(seconds=10))


class ScriptedLLM:
    """Answers each call with the next scripted outcome: an exception, or the canned set."""

    name = "scripted"

    def __init__(self, *outcomes: Exception | None) -> None:
        self.outcomes = list(outcomes)
        self.canned = CannedLLM()
        self.calls = 0

    async def generate(self, documents: Sequence[SourceDocument], spec: GenerationSpec) -> GeneratedQuestionSet:
        self.calls += 1
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        return await self.canned.generate(documents, spec)

    async def grade(self, question: str, model_answer: str, answer: str) -> Grade:
        return Grade(1.0, "")


class World:
    def __init__(self, llm: LLM, page_text: PageText | None = None) -> None:
        self.committed: list[Event] = []
        self.db = InMemoryDatabase(dispatch=self.committed.extend)
        self.clock = ManualClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
        self.store = InMemoryFileStore()
        self.llm = llm
        self.tallies: list[ScreeningTally] = []
        self.create = CreateQuestionSet(self.db.unit_of_work, self.clock, POLICY)
        self.claim = ClaimGenerationJob(self.db.unit_of_work, self.clock, POLICY)
        self.generate = GenerateQuestionSet(
            self.db.unit_of_work,
            self.clock,
            llm,
            self.store,
            POLICY,
            GenerationSettings(max_pages=50),
            page_text or StaticPageText(),
            rng=random.Random(7),
            on_screened=self.tallies.append,
        )
        self.get = GetQuestionSet(UnitOfWorkQuestionSetReads(self.db.unit_of_work))

    def committed_of(self, kind: type[Event]) -> list[Event]:
        return [event for event in self.committed if isinstance(event, kind)]

    async def member(self, subject: str = "1") -> int:
        result = await SignUpMember(self.db.unit_of_work, self.clock)(
            ExternalIdentity("kakao", subject, f"Learner {subject}", f"{subject}@example.com")
        )
        assert result.member.id is not None
        return result.member.id

    async def source(
        self,
        member_id: int,
        pages: int | None = 3,
        status: SourceStatus = SourceStatus.READY,
        data: bytes = b"%PDF-1.4 test",
        name: str = "photosynthesis.pdf",
    ) -> int:
        key = f"learning-sources/2026/11/02/member-{member_id}/{random.Random(member_id).getrandbits(64):032x}.pdf"
        source_id = await ready_source_row(
            self.db.unit_of_work, member_id, key, name, 10, self.clock.now(), status=status, pages=pages
        )
        self.store.put(key, data, "application/pdf")
        return source_id

    def request(
        self,
        member_id: int,
        source_id: int,
        count: int = 4,
        key: str | None = None,
        kind: QuestionType = QuestionType.MULTIPLE_CHOICE,
    ) -> NewQuestionSet:
        return NewQuestionSet(
            member_id=member_id,
            source_ids=[source_id],
            question_type=kind,
            difficulty=Difficulty.EASY,
            question_count=count,
            idempotency_key=key,
        )

    async def run_worker(self, owner: str = "worker-a") -> Outcome | None:
        claimed = await self.claim(owner)
        if claimed is None:
            return None
        return await self.generate(claimed, owner)

    async def events(self, member_id: int) -> list[dict[str, object]]:
        async with self.db.unit_of_work() as uow:
            return [json.loads(e.data) for e in await uow.notifications.after(member_id, 0)]

    async def status(self, set_id: int) -> tuple[QuestionSetStatus, str | None, int]:
        async with self.db.unit_of_work() as uow:
            question_set = await uow.question_sets.by_id(set_id)
            questions = await uow.questions.for_set(set_id)
        assert question_set is not None
        return question_set.status, question_set.failure_reason, len(questions)
