"""Spaced review over a simulated calendar: FSRS behind the port, in-memory repositories."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pullit_adapters.memory import InMemoryDatabase, ManualClock
from pullit_domain.errors import Code, Conflict, InvalidInput, NotFound
from pullit_domain.model.marking import AnswerKind, SubmittedAnswer
from pullit_domain.model.review import CardState, Rating
from tests.support.reviews import SEOUL, START, Learner


@pytest.fixture
async def learner() -> Learner:
    return await Learner().start()


async def test_a_card_goes_from_learning_to_review_lapses_and_relearns(learner: Learner) -> None:
    await learner.solve(0, right=False)
    queue = await learner.due(learner.member_id, 20)
    # Due in a minute: served at once through the learn-ahead window.
    assert [d.question.id for d in queue.cards] == [learner.quiz.question_ids[0]]
    assert queue.cards[0].card.state is CardState.LEARNING

    learner.clock.advance(timedelta(minutes=1))
    first = await learner.review(0, right=True)
    assert (first.rating, first.state, first.is_correct) == (Rating.GOOD, CardState.LEARNING, True)
    assert first.interval == timedelta(minutes=10)

    learner.at_due(first)
    graduated = await learner.review(0, right=True)
    assert graduated.state is CardState.REVIEW
    assert graduated.interval >= timedelta(days=1)
    assert (await learner.due(learner.member_id, 20)).cards == []

    learner.at_due(graduated)
    assert [d.question.id for d in (await learner.due(learner.member_id, 20)).cards] == [learner.quiz.question_ids[0]]
    longer = await learner.review(0, right=True)
    assert longer.state is CardState.REVIEW
    assert longer.interval > graduated.interval

    learner.at_due(longer)
    lapse = await learner.review(0, right=False)
    assert (lapse.rating, lapse.state, lapse.is_correct) == (Rating.AGAIN, CardState.RELEARNING, False)
    assert lapse.interval == timedelta(minutes=10)

    learner.at_due(lapse)
    hard = await learner.review(0, right=True, rating="HARD")
    # Hard keeps the relearning step; Good finishes it.
    assert (hard.rating, hard.state) == (Rating.HARD, CardState.RELEARNING)
    learner.at_due(hard)
    back = await learner.review(0, right=True)
    assert (back.rating, back.state) == (Rating.GOOD, CardState.REVIEW)
    assert back.interval < longer.interval

    stats = await learner.review_stats(learner.member_id)
    assert stats.cards_by_state[CardState.REVIEW] == 1
    # Two reviews of a card in review state (the good one and the lapse): one right of two.
    assert (stats.due_reviews_30_days, stats.true_retention_30_days) == (2, 0.5)


async def test_a_higher_desired_retention_gives_shorter_intervals() -> None:
    db, clock = InMemoryDatabase(), ManualClock(START)
    relaxed = await Learner(db.unit_of_work, clock).start()
    strict = await Learner(db.unit_of_work, clock).start()
    await relaxed.settings.change(relaxed.member_id, 0.80, None)
    await strict.settings.change(strict.member_id, 0.95, None)
    intervals = {}
    for learner in (relaxed, strict):
        await learner.solve(0, right=True)
        clock.set(START + timedelta(minutes=10))
        graduated = await learner.review(0, right=True)
        clock.set(graduated.due)
        intervals[learner.member_id] = (await learner.review(0, right=True)).interval
        clock.set(START)
    assert intervals[relaxed.member_id] > intervals[strict.member_id] * 2


async def test_the_same_idempotency_key_reviews_once_and_refuses_a_different_request(learner: Learner) -> None:
    await learner.solve(0, right=True)
    learner.clock.advance(timedelta(minutes=10))
    first = await learner.review(0, right=True, key="k-1")
    learner.clock.advance(timedelta(seconds=3))
    again = await learner.review(0, right=True, key="k-1")
    assert again == first
    # The marking and one review: the retried request did not review the card again.
    assert (await learner.review_stats(learner.member_id)).reviews_today == 2

    with pytest.raises(Conflict) as refused:
        await learner.review(0, right=False, key="k-1")
    assert refused.value.code is Code.IDEMPOTENCY_KEY_REUSED
    with pytest.raises(Conflict):
        await learner.review(0, right=True, rating="EASY", key="k-1")


async def test_bad_ratings_retentions_and_unanswered_questions_are_refused(learner: Learner) -> None:
    await learner.solve(0, right=True)
    with pytest.raises(InvalidInput) as bad_rating:
        await learner.review(0, right=True, rating="MEDIUM")
    assert bad_rating.value.code is Code.REVIEW_BAD_RATING
    for retention in (0.69, 0.98):
        with pytest.raises(InvalidInput) as bad_retention:
            await learner.settings.change(learner.member_id, retention, None)
        assert bad_retention.value.code is Code.REVIEW_RETENTION_OUT_OF_RANGE
    with pytest.raises(InvalidInput) as bad_new:
        await learner.settings.change(learner.member_id, None, -1)
    assert bad_new.value.code is Code.REVIEW_NEW_PER_DAY_OUT_OF_RANGE
    assert (await learner.settings.get(learner.member_id)).desired_retention == 0.90

    with pytest.raises(Conflict) as never:
        await learner.review(1, right=True)
    assert never.value.code is Code.REVIEW_NEVER_ANSWERED

    stranger = await Learner(learner.uow, learner.clock).start()
    with pytest.raises(NotFound):
        answer = SubmittedAnswer(learner.quiz.question_ids[0], "a0", AnswerKind.STRING)
        await stranger.review_question(stranger.member_id, learner.quiz.question_ids[0], answer, None)


async def test_wrong_answer_review_reviews_the_card_and_deleting_the_set_removes_its_cards(learner: Learner) -> None:
    await learner.solve(0, right=False)
    await learner.solve(1, right=True)
    learner.clock.advance(timedelta(minutes=1))
    await learner.solve(0, right=True, reviewing=True)
    stats = await learner.review_stats(learner.member_id)
    assert stats.reviews_today == 3
    assert stats.cards_by_state[CardState.LEARNING] == 2

    await learner.delete_set(learner.member_id, learner.quiz.id)
    assert (await learner.due(learner.member_id, 20)).cards == []
    assert sum((await learner.review_stats(learner.member_id)).cards_by_state.values()) == 0


async def test_only_max_new_per_day_new_cards_are_served(learner: Learner) -> None:
    for n in range(3):
        await learner.solve(n, right=False)
    await learner.settings.change(learner.member_id, None, 2)
    learner.clock.advance(timedelta(minutes=1))
    queue = await learner.due(learner.member_id, 20)
    assert (len(queue.cards), queue.due_count, queue.new_count) == (2, 0, 2)

    await learner.review(0, right=True)
    queue = await learner.due(learner.member_id, 20)
    # One new card introduced today leaves room for one more.
    assert (len(queue.cards), queue.new_count) == (1, 1)

    learner.clock.advance(timedelta(days=1))
    queue = await learner.due(learner.member_id, 20)
    assert (len(queue.cards), queue.due_count, queue.new_count) == (3, 1, 2)


async def test_the_forecast_counts_cards_per_local_day_and_reviews_keep_the_streak(learner: Learner) -> None:
    await learner.solve(0, right=True)
    learner.clock.advance(timedelta(minutes=10))
    graduated = await learner.review(0, right=True)
    await learner.solve(1, right=False)
    days = await learner.forecast(learner.member_id, 14)
    assert len(days) == 14
    assert days[0].day == START.astimezone(SEOUL).date()
    assert days[0].count == 1  # the learning card, due in a minute
    due_day = graduated.due.astimezone(SEOUL).date()
    assert next(d.count for d in days if d.day == due_day) == 1
    assert sum(d.count for d in days) == 2

    # Only review-queue answers on the next two days: the streak still grows.
    for _ in range(2):
        learner.clock.set(learner.clock.now() + timedelta(days=1))
        await learner.review(0, right=True)
    view = await learner.learning_stats(learner.member_id, learner.member_id)
    assert view.consecutive_learning_days == 3
    assert view.total_solved_question_count == 2
