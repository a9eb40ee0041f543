"""A learner of the review queue on a simulated calendar, over any unit-of-work factory."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pullit_adapters.fsrs_scheduler import FsrsScheduler
from pullit_adapters.memory import InMemoryDatabase, ManualClock
from pullit_adapters.memory.stats_reads import UnitOfWorkStatsReads
from pullit_domain.model.marking import AnswerKind, SubmittedAnswer
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.use_cases.card_reviews import CardReviewer
from pullit_domain.use_cases.marking import MarkAnswers
from pullit_domain.use_cases.members import SignUpMember
from pullit_domain.use_cases.question_sets import DeleteQuestionSet
from pullit_domain.use_cases.reviews import (
    GetDueCards,
    GetForecast,
    GetReviewStats,
    ReviewOutcome,
    ReviewQuestion,
    ReviewSettingsUseCase,
)
from pullit_domain.use_cases.stats import GetLearningStats, ProjectLearningEvents
from tests.support.solving import ReadySet, ready_set, short

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 10:00 in Seoul


class Learner:
    def __init__(self, uow: UnitOfWorkFactory | None = None, clock: ManualClock | None = None) -> None:
        self.uow = uow or InMemoryDatabase().unit_of_work
        self.clock = clock or ManualClock(START)
        uow = self.uow
        reviewer = CardReviewer(FsrsScheduler(fuzz=False))
        projector = ProjectLearningEvents(uow, self.clock, SEOUL)
        self.mark = MarkAnswers(uow, self.clock, None, 0.6, projector, reviewer)
        self.review_question = ReviewQuestion(uow, self.clock, reviewer, projector=projector)
        self.due = GetDueCards(uow, self.clock, SEOUL)
        self.forecast = GetForecast(uow, self.clock, SEOUL)
        self.settings = ReviewSettingsUseCase(uow)
        self.review_stats = GetReviewStats(uow, self.clock, SEOUL)
        self.learning_stats = GetLearningStats(UnitOfWorkStatsReads(uow), self.clock, SEOUL)
        self.delete_set = DeleteQuestionSet(uow, self.clock)
        self.member_id = 0
        self.quiz = ReadySet(0, [])

    async def start(self, questions: int = 3) -> Learner:
        identity = ExternalIdentity("test", uuid.uuid4().hex, "Learner", f"{uuid.uuid4().hex}@example.test")
        member = (await SignUpMember(self.uow, self.clock)(identity)).member
        assert member.id is not None
        self.member_id = member.id
        self.quiz = await ready_set(self.uow, member.id, [short(f"a{n}") for n in range(questions)])
        return self

    async def solve(self, n: int, right: bool, reviewing: bool = False) -> None:
        answer = f"a{n}" if right else "nope"
        await self.mark(
            self.member_id, [SubmittedAnswer(self.quiz.question_ids[n], answer, AnswerKind.STRING)], reviewing
        )

    async def review(self, n: int, right: bool, rating: str | None = None, key: str | None = None) -> ReviewOutcome:
        answer = SubmittedAnswer(self.quiz.question_ids[n], f"a{n}" if right else "nope", AnswerKind.STRING)
        return await self.review_question(self.member_id, self.quiz.question_ids[n], answer, rating, key)

    def at_due(self, outcome: ReviewOutcome) -> None:
        self.clock.set(outcome.due)
