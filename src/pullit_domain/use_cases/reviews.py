"""The review queue: what is due, answering a due card, the forecast, settings and figures."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from pullit_domain.errors import Code, Conflict, InvalidInput, NotFound, Unavailable
from pullit_domain.model.idempotency import fingerprint as request_fingerprint
from pullit_domain.model.marking import SubmittedAnswer, check_fits, correct_answer, is_correct_by_rule, needs_model
from pullit_domain.model.question_set import Question, QuestionSet
from pullit_domain.model.review import (
    LEARN_AHEAD,
    CardState,
    Rating,
    ReviewCard,
    ReviewLogEntry,
    ReviewOrigin,
    ReviewSettings,
    parse_rating,
    rating_for,
)
from pullit_domain.model.stats import CardReviewed, local_day
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.llm import LLM, GenerationFailed, GenerationImpossible
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from pullit_domain.use_cases.card_reviews import Answered, CardReviewer, settings_of
from pullit_domain.use_cases.stats import ProjectLearningEvents

log = logging.getLogger("pullit.reviews")

MAX_DUE_LIMIT = 100
MAX_FORECAST_DAYS = 90
RETENTION_WINDOW = timedelta(days=30)


def start_of_day(now: datetime, zone: tzinfo) -> datetime:
    return datetime.combine(local_day(now, zone), time(), zone)


async def owned_question(uow: UnitOfWork, member_id: int, question_id: int) -> tuple[Question, QuestionSet]:
    """The member's question and its set (not deleted); anything else is 404 like a missing one."""
    found = await uow.questions.for_ids(member_id, [question_id])
    question_set = await uow.question_sets.get(member_id, found[0].question_set_id) if found else None
    if not found or question_set is None:
        raise NotFound("question not found", Code.QUESTION_NOT_FOUND)
    return found[0], question_set


@dataclass(frozen=True)
class DueCard:
    card: ReviewCard
    question: Question
    question_set_title: str


@dataclass(frozen=True)
class DueQueue:
    cards: list[DueCard]
    due_count: int
    new_count: int


class GetDueCards:
    """Due cards, most overdue first: introduced cards plus today's share of new ones; when
    none is due, learning cards due within the learn-ahead window."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, zone: tzinfo) -> None:
        self._uow = uow
        self._clock = clock
        self._zone = zone

    async def __call__(self, member_id: int, limit: int) -> DueQueue:
        if not 1 <= limit <= MAX_DUE_LIMIT:
            raise InvalidInput("limit must be between 1 and 100")
        now = self._clock.now()
        async with self._uow() as uow:
            counts = await uow.review_cards.count_due(member_id, now)
            quota = await self._new_quota(uow, member_id, now) if counts.new else 0
            cards = await uow.review_cards.due(member_id, now, False, limit)
            if quota:
                cards += await uow.review_cards.due(member_id, now, True, min(limit, quota))
            if not cards:
                quota = await self._new_quota(uow, member_id, now)
                ahead = await uow.review_cards.learning_due(member_id, now + LEARN_AHEAD, limit + quota)
                new_ones = [c for c in ahead if c.is_new][:quota]
                cards = [c for c in ahead if not c.is_new or c in new_ones]
            cards = sorted(cards, key=lambda c: (c.due, c.id or 0))[:limit]
            items = await self._with_questions(uow, member_id, cards)
        return DueQueue(items, counts.due, min(counts.new, quota))

    async def _new_quota(self, uow: UnitOfWork, member_id: int, now: datetime) -> int:
        """How many new cards may still be served today."""
        settings = await settings_of(uow, member_id)
        introduced = await uow.review_cards.count_introduced_since(member_id, start_of_day(now, self._zone))
        return max(0, settings.max_new_per_day - introduced)

    @staticmethod
    async def _with_questions(uow: UnitOfWork, member_id: int, cards: list[ReviewCard]) -> list[DueCard]:
        found = await uow.review_cards.questions_of(member_id, [c.question_id for c in cards])
        questions = {question.id: (question, title) for question, title in found}
        return [DueCard(card, *questions[card.question_id]) for card in cards if card.question_id in questions]


@dataclass(frozen=True)
class ReviewOutcome:
    question_id: int
    is_correct: bool
    correct_answer: str | bool
    explanation: str
    rating: Rating
    state: CardState
    due: datetime
    interval: timedelta

    @classmethod
    def of(cls, entry: ReviewLogEntry, question: Question) -> ReviewOutcome:
        return cls(
            question_id=entry.question_id,
            is_correct=entry.correct,
            correct_answer=correct_answer(question),
            explanation=question.explanation,
            rating=entry.rating,
            state=entry.state_after,
            due=entry.due_after,
            interval=entry.interval,
        )


def fingerprint(question_id: int, answer: SubmittedAnswer, rating: Rating | None) -> str:
    """What makes two requests "the same" for an idempotency key (the digest question sets use too)."""
    return request_fingerprint([question_id, answer.kind.value, answer.text, rating.value if rating else None])


class ReviewQuestion:
    """``POST /api/review/{questionId}``: mark the answer, rate it, reschedule the card.

    With an idempotency key the first request's reply is replayed for the same request
    (no second review); a different request under a used key is refused.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        reviewer: CardReviewer,
        grader: LLM | None = None,
        pass_score: float = 0.6,
        projector: ProjectLearningEvents | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._reviewer = reviewer
        self._grader = grader
        self._pass_score = pass_score
        self._projector = projector

    async def __call__(
        self,
        member_id: int,
        question_id: int,
        answer: SubmittedAnswer,
        rating_name: str | None,
        idempotency_key: str | None = None,
    ) -> ReviewOutcome:
        explicit = parse_rating(rating_name)
        digest = fingerprint(question_id, answer, explicit)
        async with self._uow() as uow:
            replay = await self._replay(uow, member_id, idempotency_key, digest)
            if replay is not None:
                return replay
            question, _ = await owned_question(uow, member_id, question_id)
        check_fits(question, answer)
        correct = await self._verdict(question, answer)
        try:
            outcome = await self._record(member_id, question_id, answer, correct, explicit, idempotency_key, digest)
        except Conflict as error:
            if error.code is not Code.CONFLICT:
                raise
            # A concurrent request with the same key won the race: the retry replays its reply.
            outcome = await self._record(member_id, question_id, answer, correct, explicit, idempotency_key, digest)
        if self._projector is not None:
            try:
                await self._projector.for_member(member_id)
            except Exception:  # the review is committed; the background sweep applies the event later
                log.exception("projecting learning stats failed; the sweep will retry")
        return outcome

    @staticmethod
    async def _replay(uow: UnitOfWork, member_id: int, key: str | None, digest: str) -> ReviewOutcome | None:
        if not key:
            return None
        earlier = await uow.review_log.by_idempotency_key(member_id, key)
        if earlier is None:
            return None
        if earlier.fingerprint != digest:
            raise Conflict("This Idempotency-Key was already used for a different review.", Code.IDEMPOTENCY_KEY_REUSED)
        question, _ = await owned_question(uow, member_id, earlier.question_id)
        return ReviewOutcome.of(earlier, question)

    async def _record(
        self,
        member_id: int,
        question_id: int,
        answer: SubmittedAnswer,
        correct: bool,
        explicit: Rating | None,
        key: str | None,
        digest: str,
    ) -> ReviewOutcome:
        async with self._uow() as uow:
            # Serialises this member's reviews: two answers to one card at once are scheduled one
            # after the other, each from the state the other left, and neither is lost.
            await uow.members.lock(member_id)
            now = self._clock.now()
            replay = await self._replay(uow, member_id, key, digest)
            if replay is not None:
                return replay
            question, question_set = await owned_question(uow, member_id, question_id)
            cards = await uow.review_cards.for_questions(member_id, [question_id])
            if not cards:
                raise Conflict(
                    "Answer this question in its set first; only answered questions can be reviewed.",
                    Code.REVIEW_NEVER_ANSWERED,
                )
            settings = await settings_of(uow, member_id)
            answered = Answered(
                member_id,
                question_id,
                question.question_set_id,
                correct,
                rating_for(correct, explicit),
                ReviewOrigin.QUEUE,
                now,
                key or None,
                digest if key else None,
            )
            _, entry = await self._reviewer.review(uow, cards[0], answered, settings.desired_retention)
            await uow.domain_events.record(CardReviewed(member_id, question_set.id or 0, correct, now).event())
            await uow.commit()
        return ReviewOutcome.of(entry, question)

    async def _verdict(self, question: Question, answer: SubmittedAnswer) -> bool:
        if not needs_model(question, answer):
            return is_correct_by_rule(question, answer)
        if not answer.text.strip():
            return False
        if self._grader is None:
            raise InvalidInput("No model marks written answers here; send your own verdict as true or false.")
        try:
            grade = await self._grader.grade(question.text, question.answer, answer.text)
        except (GenerationFailed, GenerationImpossible) as error:
            raise Unavailable("The model could not mark the written answer now; try again later.") from error
        return grade.score >= self._pass_score


@dataclass(frozen=True)
class DayForecast:
    day: date
    count: int


class GetForecast:
    """Cards due per local day from today on; overdue cards count for today."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, zone: tzinfo) -> None:
        self._uow = uow
        self._clock = clock
        self._zone = zone

    async def __call__(self, member_id: int, days: int) -> list[DayForecast]:
        if not 1 <= days <= MAX_FORECAST_DAYS:
            raise InvalidInput("days must be between 1 and 90")
        now = self._clock.now()
        today = local_day(now, self._zone)
        end = datetime.combine(today + timedelta(days=days), time(), self._zone)
        async with self._uow() as uow:
            due_times = await uow.review_cards.due_times(member_id, end)
        counts = {today + timedelta(days=i): 0 for i in range(days)}
        for due in due_times:
            day = local_day(max(due, now), self._zone)
            if day in counts:
                counts[day] += 1
        return [DayForecast(day, count) for day, count in counts.items()]


class ReviewSettingsUseCase:
    """``GET``/``PUT /api/members/me/review-settings``; unset settings read as the defaults."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def get(self, member_id: int) -> ReviewSettings:
        async with self._uow() as uow:
            return await settings_of(uow, member_id)

    async def change(
        self, member_id: int, desired_retention: float | None, max_new_per_day: int | None
    ) -> ReviewSettings:
        async with self._uow() as uow:
            settings = await uow.review_settings.get(member_id)
            if settings is None:
                settings = ReviewSettings(member_id)
                settings.change(desired_retention, max_new_per_day)
                await uow.review_settings.add(settings)
            else:
                settings.change(desired_retention, max_new_per_day)
            await uow.commit()
        return settings


@dataclass(frozen=True)
class ReviewStats:
    reviews_today: int
    due_reviews_30_days: int
    true_retention_30_days: float | None
    cards_by_state: dict[CardState, int]


class GetReviewStats:
    """Reviews today (local day), true retention over 30 days (share of reviews of cards in
    review state answered right, as Anki defines it) and cards by state."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, zone: tzinfo) -> None:
        self._uow = uow
        self._clock = clock
        self._zone = zone

    async def __call__(self, member_id: int) -> ReviewStats:
        now = self._clock.now()
        async with self._uow() as uow:
            today = await uow.review_log.count_since(member_id, start_of_day(now, self._zone))
            retention = await uow.review_log.retention_since(member_id, now - RETENTION_WINDOW)
            by_state = await uow.review_cards.count_by_state(member_id)
        return ReviewStats(
            reviews_today=today,
            due_reviews_30_days=retention.reviews,
            true_retention_30_days=retention.correct / retention.reviews if retention.reviews else None,
            cards_by_state={state: by_state.get(state, 0) for state in CardState},
        )
