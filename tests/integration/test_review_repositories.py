"""Spaced review behaves alike on the fake, SQLite and MariaDB: cards, the log, settings, races."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from pullit_domain.errors import Code, Conflict
from pullit_domain.model.review import CardState, Rating
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from tests.support.reviews import SEOUL, Learner


async def test_a_card_learns_graduates_and_lapses_with_its_log(uow_factory: UnitOfWorkFactory) -> None:
    learner = await Learner(uow_factory).start()
    await learner.solve(0, right=False)
    await learner.solve(1, right=True)
    queue = await learner.due(learner.member_id, 20)
    assert [d.question.id for d in queue.cards] == learner.quiz.question_ids[:2]
    assert queue.cards[0].question_set_title == "Photosynthesis"
    assert queue.cards[0].card.due.tzinfo is not None

    learner.clock.advance(timedelta(minutes=10))
    graduated = await learner.review(1, right=True)
    assert graduated.state is CardState.REVIEW
    learner.at_due(graduated)
    lapse = await learner.review(1, right=False)
    assert (lapse.rating, lapse.state) == (Rating.AGAIN, CardState.RELEARNING)

    stats = await learner.review_stats(learner.member_id)
    assert stats.cards_by_state == {CardState.LEARNING: 1, CardState.REVIEW: 0, CardState.RELEARNING: 1}
    assert (stats.due_reviews_30_days, stats.true_retention_30_days) == (1, 0.0)
    forecast = await learner.forecast(learner.member_id, 3)
    assert forecast[0].day == learner.clock.now().astimezone(SEOUL).date()
    assert sum(d.count for d in forecast) == 2


async def test_one_idempotency_key_reviews_once_even_when_requests_race(uow_factory: UnitOfWorkFactory) -> None:
    learner = await Learner(uow_factory).start()
    await learner.solve(0, right=True)
    learner.clock.advance(timedelta(minutes=10))
    first, second = await asyncio.gather(
        learner.review(0, right=True, key="double-click"), learner.review(0, right=True, key="double-click")
    )
    assert first == second
    assert (await learner.review_stats(learner.member_id)).reviews_today == 2
    with pytest.raises(Conflict) as refused:
        await learner.review(0, right=False, key="double-click")
    assert refused.value.code is Code.IDEMPOTENCY_KEY_REUSED
    # Keys belong to their member: another learner may use the same one.
    other = await Learner(uow_factory, learner.clock).start()
    await other.solve(0, right=True)
    assert (await other.review(0, right=True, key="double-click")).question_id == other.quiz.question_ids[0]


async def test_settings_round_trip_and_deleting_a_set_deletes_its_cards(uow_factory: UnitOfWorkFactory) -> None:
    learner = await Learner(uow_factory).start()
    await learner.settings.change(learner.member_id, 0.85, 5)
    await learner.settings.change(learner.member_id, None, 7)
    settings = await learner.settings.get(learner.member_id)
    assert (settings.desired_retention, settings.max_new_per_day) == (0.85, 7)

    for n in range(3):
        await learner.solve(n, right=False)
    assert sum((await learner.review_stats(learner.member_id)).cards_by_state.values()) == 3
    await learner.delete_set(learner.member_id, learner.quiz.id)
    learner.clock.advance(timedelta(days=1))
    queue = await learner.due(learner.member_id, 20)
    assert (queue.cards, queue.due_count, queue.new_count) == ([], 0, 0)
    assert sum((await learner.review_stats(learner.member_id)).cards_by_state.values()) == 0
