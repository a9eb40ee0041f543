"""Spaced review (docs/api.md "Review"): the due queue, answering a card, forecast, figures, settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, JSONBody

from pullit_domain.model.marking import AnswerKind, SubmittedAnswer
from pullit_domain.model.question import QuestionType
from pullit_domain.model.review import CardState, Rating, ReviewSettings
from pullit_domain.use_cases.reviews import (
    MAX_DUE_LIMIT,
    MAX_FORECAST_DAYS,
    DueCard,
    GetDueCards,
    GetForecast,
    GetReviewStats,
    ReviewQuestion,
    ReviewSettingsUseCase,
)
from pullit_web.http.auth import SignedInRequest
from pullit_web.http.controllers.marking import MAX_ANSWER_LENGTH
from pullit_web.http.controllers.question_sets import QuestionSource
from pullit_web.http.ids import PathId, query_between
from pullit_web.http.openapi import SIGNED_IN_SECURITY, problems


class DueItem(msgspec.Struct, rename="camel", omit_defaults=True):
    """The question without its answer or explanation: those come back with the result."""

    question_id: int
    question_set_id: int
    question_set_title: str
    question_type: QuestionType
    question_text: str
    state: CardState
    due: datetime
    is_new: bool
    options: list[str] | None = None
    source: QuestionSource | None = None

    @classmethod
    def of(cls, item: DueCard) -> DueItem:
        question = item.question
        assert question.id is not None
        return cls(
            question_id=question.id,
            question_set_id=question.question_set_id,
            question_set_title=item.question_set_title,
            question_type=question.question_type,
            question_text=question.text,
            state=item.card.state,
            due=item.card.due,
            is_new=item.card.is_new,
            options=list(question.options) if question.options is not None else None,
            source=QuestionSource(question.source_id, question.page) if question.source_id is not None else None,
        )


class DueBody(msgspec.Struct, rename="camel"):
    cards: list[DueItem]
    due_count: int
    new_count: int


class ReviewRequest(msgspec.Struct, rename="camel"):
    # A string, not the enum: a wrong name gets its own code (REVIEW_001), not a generic validation error.
    member_answer: Annotated[str, msgspec.Meta(max_length=MAX_ANSWER_LENGTH)] | bool
    rating: Annotated[str, msgspec.Meta(max_length=16)] | None = None


class ReviewResult(msgspec.Struct, rename="camel"):
    question_id: int
    is_correct: bool
    correct_answer: str | bool
    explanation: str
    rating: Rating
    state: CardState
    due: datetime
    interval_seconds: int


class ForecastDay(msgspec.Struct):
    date: date
    count: int


class ReviewStatsBody(msgspec.Struct, rename="camel"):
    reviews_today: int
    due_reviews_last_30_days: int
    true_retention_last_30_days: float | None
    cards_by_state: dict[CardState, int]


class ReviewSettingsBody(msgspec.Struct, rename="camel"):
    desired_retention: float
    max_new_per_day: int

    @classmethod
    def of(cls, settings: ReviewSettings) -> ReviewSettingsBody:
        return cls(settings.desired_retention, settings.max_new_per_day)


class ReviewSettingsChange(msgspec.Struct, rename="camel"):
    desired_retention: float | None = None
    max_new_per_day: int | None = None


class ReviewController(Controller):
    path = "/api/review"
    tags = ["review"]
    security = SIGNED_IN_SECURITY

    @get(
        "/due",
        summary="The caller's due review cards, most overdue first",
        description="Cards already reviewed from this queue that are due now, plus at most `maxNewPerDay` new "
        "cards a day (cards of answered questions not yet reviewed here). When none is due, learning cards due "
        "within 20 minutes are served. `dueCount`/`newCount` count what is due now.",
        responses=problems(),
    )
    async def due(
        self,
        request: SignedInRequest,
        get_due_cards: NamedDependency[GetDueCards],
        limit: Annotated[int, query_between(1, MAX_DUE_LIMIT)] = 20,
    ) -> DueBody:
        queue = await get_due_cards(request.user.member_id, limit)
        return DueBody([DueItem.of(c) for c in queue.cards], queue.due_count, queue.new_count)

    @get(
        "/forecast",
        summary="Cards falling due per day, in the service time zone",
        description="One entry per day from today; overdue cards count for today.",
        responses=problems(),
    )
    async def forecast(
        self,
        request: SignedInRequest,
        get_review_forecast: NamedDependency[GetForecast],
        days: Annotated[int, query_between(1, MAX_FORECAST_DAYS)] = 14,
    ) -> list[ForecastDay]:
        return [ForecastDay(d.day, d.count) for d in await get_review_forecast(request.user.member_id, days)]

    @get(
        "/stats",
        summary="Reviews today, true retention over 30 days, cards by state",
        description="True retention: the share of reviews of cards in review state (due reviews) answered "
        "right in the last 30 days; `null` before the first such review.",
        responses=problems(),
    )
    async def stats(
        self, request: SignedInRequest, get_review_stats: NamedDependency[GetReviewStats]
    ) -> ReviewStatsBody:
        figures = await get_review_stats(request.user.member_id)
        return ReviewStatsBody(
            reviews_today=figures.reviews_today,
            due_reviews_last_30_days=figures.due_reviews_30_days,
            true_retention_last_30_days=figures.true_retention_30_days,
            cards_by_state=figures.cards_by_state,
        )

    @post(
        "/{question_id:int}",
        status_code=200,
        summary="Answer a review card: marked, rated and rescheduled",
        description="A wrong answer is rated AGAIN and a right one GOOD unless `rating` (AGAIN, HARD, GOOD, "
        "EASY) says otherwise. The same `Idempotency-Key` with the same body replays the first reply without "
        "a second review; with a different body it is 409 `COMMON_008`. A question never answered in its set "
        "is 409 `REVIEW_004`; a bad rating 400 `REVIEW_001`.",
        responses=problems(404, 409, 413),
    )
    async def review(
        self,
        question_id: PathId,
        data: JSONBody[ReviewRequest],
        request: SignedInRequest,
        review_question: NamedDependency[ReviewQuestion],
        idempotency_key: Annotated[str | None, HeaderParameter(name="Idempotency-Key", max_length=100)] = None,
    ) -> ReviewResult:
        kind = AnswerKind.BOOLEAN if isinstance(data.member_answer, bool) else AnswerKind.STRING
        answer = SubmittedAnswer(question_id, data.member_answer, kind)
        outcome = await review_question(request.user.member_id, question_id, answer, data.rating, idempotency_key)
        return ReviewResult(
            question_id=outcome.question_id,
            is_correct=outcome.is_correct,
            correct_answer=outcome.correct_answer,
            explanation=outcome.explanation,
            rating=outcome.rating,
            state=outcome.state,
            due=outcome.due,
            interval_seconds=round(outcome.interval.total_seconds()),
        )


class ReviewSettingsController(Controller):
    path = "/api/members/me/review-settings"
    tags = ["review"]
    security = SIGNED_IN_SECURITY

    @get("/", summary="The caller's review settings", responses=problems())
    async def read(
        self, request: SignedInRequest, review_settings: NamedDependency[ReviewSettingsUseCase]
    ) -> ReviewSettingsBody:
        return ReviewSettingsBody.of(await review_settings.get(request.user.member_id))

    @put(
        "/",
        summary="Change the caller's review settings",
        description="`desiredRetention` 0.70..0.97 (else 400 `REVIEW_002`), `maxNewPerDay` 0..9999 (else 400 "
        "`REVIEW_003`); a field left out keeps its value. New intervals follow from the next review.",
        responses=problems(),
    )
    async def change(
        self,
        data: JSONBody[ReviewSettingsChange],
        request: SignedInRequest,
        review_settings: NamedDependency[ReviewSettingsUseCase],
    ) -> ReviewSettingsBody:
        changed = await review_settings.change(request.user.member_id, data.desired_retention, data.max_new_per_day)
        return ReviewSettingsBody.of(changed)
