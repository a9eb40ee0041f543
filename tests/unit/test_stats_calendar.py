"""Learning stats over a simulated calendar in Asia/Seoul: weeks, streaks, days, replays."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from pullit_adapters.memory import InMemoryDatabase, ManualClock
from pullit_adapters.memory.stats_reads import UnitOfWorkStatsReads
from pullit_domain.errors import NotFound
from pullit_domain.model.marking import AnswerKind, SubmittedAnswer
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.model.stats import DomainEvent
from pullit_domain.use_cases.marking import MarkAnswers
from pullit_domain.use_cases.members import SignUpMember
from pullit_domain.use_cases.stats import GetDailyStats, GetLearningStats, ProjectLearningEvents
from tests.support.solving import ReadySet, ready_set, short

SEOUL = ZoneInfo("Asia/Seoul")


def seoul(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant of January 2026 given in Seoul time."""
    return datetime(2026, 1, day, hour, minute, tzinfo=SEOUL)


class Learner:
    def __init__(self) -> None:
        self.db = InMemoryDatabase()
        self.clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
        self.projector = ProjectLearningEvents(self.db.unit_of_work, self.clock, SEOUL)
        self.mark = MarkAnswers(self.db.unit_of_work, self.clock, None, 0.6, self.projector)
        reads = UnitOfWorkStatsReads(self.db.unit_of_work)
        self.stats = GetLearningStats(reads, self.clock, SEOUL)
        self.daily = GetDailyStats(reads, self.clock, SEOUL)
        self.member_id = 0
        self.quiz = ReadySet(0, [])

    async def start(self) -> None:
        identity = ExternalIdentity("test", uuid.uuid4().hex, "Learner", "learner@example.test")
        member = (await SignUpMember(self.db.unit_of_work, self.clock)(identity)).member
        assert member.id is not None
        self.member_id = member.id
        self.quiz = await ready_set(self.db.unit_of_work, member.id, [short(f"a{n}") for n in range(4)])

    async def solve(self, at: datetime, right: int, wrong: int) -> None:
        self.clock.set(at)
        ids = self.quiz.question_ids
        answers = [SubmittedAnswer(ids[n], f"a{n}", AnswerKind.STRING) for n in range(right)]
        answers += [SubmittedAnswer(ids[right + n], "nope", AnswerKind.STRING) for n in range(wrong)]
        await self.mark(self.member_id, answers, reviewing=False)

    async def read(self, at: datetime) -> tuple[int, int, int, int, int]:
        self.clock.set(at)
        view = await self.stats(self.member_id, self.member_id)
        return (
            view.total_solved_question_set_count,
            view.total_solved_question_count,
            view.total_correct_question_count,
            view.weekly_solved_question_count,
            view.consecutive_learning_days,
        )


@pytest.fixture
async def learner() -> Learner:
    learner = Learner()
    await learner.start()
    return learner


async def test_ten_days_of_weeks_streaks_and_gaps(learner: Learner) -> None:
    # (solved sets, solved questions, correct, this week, streak)
    assert await learner.read(seoul(5, 8)) == (0, 0, 0, 0, 0)

    await learner.solve(seoul(5, 10), right=2, wrong=1)  # Monday
    assert await learner.read(seoul(5, 11)) == (1, 3, 2, 3, 1)

    await learner.solve(seoul(6, 23, 30), right=1, wrong=1)  # Tuesday, late evening in Seoul
    assert await learner.read(seoul(6, 23, 45)) == (2, 5, 3, 5, 2)

    # 00:30 in Seoul is still the previous day in UTC: it counts for Wednesday.
    await learner.solve(seoul(7, 0, 30), right=4, wrong=0)
    await learner.solve(seoul(7, 21), right=0, wrong=1)  # a second submission the same day
    assert await learner.read(seoul(7, 22)) == (4, 10, 7, 10, 3)

    # Thursday without activity: yesterday still counts...
    assert await learner.read(seoul(8, 23, 59)) == (4, 10, 7, 10, 3)
    # ...but once Thursday has passed entirely, the streak reads 0.
    assert await learner.read(seoul(9, 0, 1)) == (4, 10, 7, 10, 0)

    await learner.solve(seoul(10, 15), right=0, wrong=2)  # Saturday: a gap, so the streak restarts
    assert await learner.read(seoul(10, 16)) == (5, 12, 7, 12, 1)
    await learner.solve(seoul(11, 9), right=1, wrong=0)  # Sunday
    assert await learner.read(seoul(11, 23, 59)) == (6, 13, 8, 13, 2)

    # Monday 00:00 in Seoul starts a new week; the streak lives on until a day is missed.
    assert await learner.read(seoul(12, 0, 0)) == (6, 13, 8, 0, 2)
    await learner.solve(seoul(12, 9), right=2, wrong=1)
    assert await learner.read(seoul(12, 10)) == (7, 16, 10, 3, 3)

    # Tuesday missed: on Wednesday (day 10) the streak reads 0, the week keeps its count.
    assert await learner.read(seoul(14, 12)) == (7, 16, 10, 3, 0)

    days = await learner.daily(learner.member_id, learner.member_id, date(2026, 1, 1), date(2026, 1, 14))
    assert [(d.day.isoformat(), d.count) for d in days] == [
        ("2026-01-05", 3),
        ("2026-01-06", 2),
        ("2026-01-07", 5),
        ("2026-01-10", 2),
        ("2026-01-11", 1),
        ("2026-01-12", 3),
    ]
    narrow = await learner.daily(learner.member_id, learner.member_id, date(2026, 1, 7), date(2026, 1, 10))
    assert [(d.day.isoformat(), d.count) for d in narrow] == [("2026-01-07", 5), ("2026-01-10", 2)]


async def test_replaying_applied_events_changes_nothing(learner: Learner) -> None:
    await learner.solve(seoul(5, 10), right=2, wrong=1)
    await learner.solve(seoul(6, 10), right=1, wrong=0)
    before = await learner.read(seoul(6, 12))
    days_before = await learner.daily(learner.member_id, learner.member_id, date(2026, 1, 5), date(2026, 1, 6))

    events: list[DomainEvent] = list(learner.db.tables["domain_events"].rows.values())
    assert len(events) == 2 and all(e.processed_at is not None for e in events)
    replayed = [await learner.projector.apply(event) for event in events]
    swept = await learner.projector()

    assert replayed == [False, False]
    assert swept == 0
    assert await learner.read(seoul(6, 12)) == before == (2, 4, 3, 4, 2)
    days_after = await learner.daily(learner.member_id, learner.member_id, date(2026, 1, 5), date(2026, 1, 6))
    assert [(d.day, d.count) for d in days_after] == [(d.day, d.count) for d in days_before]


async def test_the_sweep_applies_what_marking_left_unprojected(learner: Learner) -> None:
    # Marking without its in-process projector, as if the process died right after the commit.
    learner.mark = MarkAnswers(learner.db.unit_of_work, learner.clock, None, 0.6, projector=None)
    await learner.solve(seoul(5, 10), right=1, wrong=1)
    await learner.solve(seoul(5, 11), right=0, wrong=3)
    assert await learner.read(seoul(5, 12)) == (0, 0, 0, 0, 0)

    assert await learner.projector() == 2
    assert await learner.read(seoul(5, 12)) == (2, 5, 1, 5, 1)
    assert await learner.projector() == 0


async def test_stats_of_someone_else_are_not_found(learner: Learner) -> None:
    with pytest.raises(NotFound):
        await learner.stats(learner.member_id, learner.member_id + 1)
    with pytest.raises(NotFound):
        await learner.daily(learner.member_id, learner.member_id + 1, None, None)
