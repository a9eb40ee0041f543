"""Learning statistics (contract "Wrong-answer note, folders, stats")."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from pullit_domain.use_cases.stats import GetDailyStats, GetLearningStats
from pullit_web.http.auth import SignedInRequest
from pullit_web.http.ids import PathId
from pullit_web.http.openapi import SIGNED_IN_SECURITY, problems


class LearnStatsBody(msgspec.Struct, rename="camel"):
    total_question_set_count: int
    total_solved_question_set_count: int
    total_solved_question_count: int
    total_correct_question_count: int
    weekly_solved_question_count: int
    consecutive_learning_days: int


class DailyCount(msgspec.Struct):
    date: date
    count: int


class StatsController(Controller):
    path = "/api/members/{member_id:int}"
    tags = ["stats"]
    security = SIGNED_IN_SECURITY

    @get(
        "/learn-stats",
        summary="The caller's learning totals, this week's count and streak",
        description="Only the caller's own id; any other is 404. The week starts Monday 00:00 in the service "
        "time zone; the streak reads 0 once a whole day passed without solving.",
        responses=problems(404),
    )
    async def learn_stats(
        self,
        member_id: PathId,
        request: SignedInRequest,
        get_learning_stats: NamedDependency[GetLearningStats],
    ) -> LearnStatsBody:
        view = await get_learning_stats(request.user.member_id, member_id)
        return LearnStatsBody(
            total_question_set_count=view.total_question_set_count,
            total_solved_question_set_count=view.total_solved_question_set_count,
            total_solved_question_count=view.total_solved_question_count,
            total_correct_question_count=view.total_correct_question_count,
            weekly_solved_question_count=view.weekly_solved_question_count,
            consecutive_learning_days=view.consecutive_learning_days,
        )

    @get(
        "/daily-stats",
        summary="Solved questions per day, for days with activity",
        description="`from`/`to` are inclusive local dates (YYYY-MM-DD, service time zone); by default the "
        "last 30 days. At most 366 days at once.",
        responses=problems(404),
    )
    async def daily_stats(
        self,
        member_id: PathId,
        request: SignedInRequest,
        get_daily_stats: NamedDependency[GetDailyStats],
        first: Annotated[date | None, QueryParameter(name="from")] = None,
        last: Annotated[date | None, QueryParameter(name="to")] = None,
    ) -> list[DailyCount]:
        days = await get_daily_stats(request.user.member_id, member_id, first, last)
        return [DailyCount(d.day, d.count) for d in days]
