"""Marking writes a whole submission at once, alike on the fake, SQLite and MariaDB: every
answer of it reaches the note, its card, the review log and the stats, also when one member's
submissions race."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from pullit_domain.model.marking import AnswerKind, SubmittedAnswer
from pullit_domain.model.review import CardState
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from tests.support.reviews import SEOUL, Learner


def submission(learner: Learner, right: set[int]) -> list[SubmittedAnswer]:
    """An answer to every question of the learner's set; those in ``right`` are correct."""
    return [
        SubmittedAnswer(question_id, f"a{n}" if n in right else "nope", AnswerKind.STRING)
        for n, question_id in enumerate(learner.quiz.question_ids)
    ]


async def test_every_answer_of_a_submission_reaches_note_cards_log_and_stats(uow_factory: UnitOfWorkFactory) -> None:
    learner = await Learner(uow_factory).start(questions=5)
    me, q = learner.member_id, learner.quiz.question_ids
    since = learner.clock.now() - timedelta(seconds=1)

    first = await learner.mark(me, submission(learner, right={0, 1}), False)
    learner.clock.advance(timedelta(minutes=5))
    await learner.mark(me, submission(learner, right={1}), False)
    learner.clock.advance(timedelta(minutes=5))
    reviewed = await learner.mark(me, submission(learner, right={1, 2, 3}), True)

    assert [r.is_correct for r in first.results] == [True, True, False, False, False]
    assert [r.is_correct for r in reviewed.results] == [False, True, True, True, False]
    async with uow_factory() as uow:
        note = {e.question_id: e for e in await uow.wrong_answers.for_questions(me, q)}
        cards = {c.question_id: c for c in await uow.review_cards.for_questions(me, q)}
        logged = await uow.review_log.count_since(me, since)
        stats = await uow.learning_stats.get(me)
        days = await uow.learning_stats.daily(me, since.astimezone(SEOUL).date(), since.astimezone(SEOUL).date())
    # Question 0 was wrong twice; 2 and 3 were wrong twice, then right in review; 4 wrong thrice.
    assert {i: (note[q[i]].incorrect_count, note[q[i]].reviewed) for i in (0, 2, 3, 4)} == {
        0: (2, False),
        2: (2, True),
        3: (2, True),
        4: (3, False),
    }
    assert q[1] not in note
    assert note[q[4]].updated_at == learner.clock.now()
    assert {i: cards[q[i]].reps for i in range(5)} == dict.fromkeys(range(5), 3)
    # Right three times graduates; wrong every time keeps learning.
    assert (cards[q[1]].state, cards[q[4]].state) == (CardState.REVIEW, CardState.LEARNING)
    assert cards[q[4]].last_review == learner.clock.now()
    assert logged == 15
    assert stats is not None
    assert (stats.solved_set_count, stats.solved_question_count, stats.correct_question_count) == (3, 15, 6)
    assert [(d.day, d.solved_question_count) for d in days] == [(since.astimezone(SEOUL).date(), 15)]


async def test_racing_submissions_of_one_member_lose_no_answer(uow_factory: UnitOfWorkFactory) -> None:
    learner = await Learner(uow_factory).start(questions=5)
    me, q = learner.member_id, learner.quiz.question_ids
    since = learner.clock.now() - timedelta(seconds=1)
    await learner.mark(me, submission(learner, right={0}), False)

    # Four submissions at once: each waits for the member's lock and builds on the one before.
    await asyncio.gather(*(learner.mark(me, submission(learner, right={0, 1}), False) for _ in range(4)))

    async with uow_factory() as uow:
        note = {e.question_id: e.incorrect_count for e in await uow.wrong_answers.for_questions(me, q)}
        cards = {c.question_id: c.reps for c in await uow.review_cards.for_questions(me, q)}
        logged = await uow.review_log.count_since(me, since)
        stats = await uow.learning_stats.get(me)
        solved = await uow.learning_stats.solved_set_ids(me)
    assert note == {q[1]: 1, q[2]: 5, q[3]: 5, q[4]: 5}
    assert cards == dict.fromkeys(q, 5)
    assert logged == 25
    assert stats is not None
    assert (stats.solved_set_count, stats.solved_question_count, stats.correct_question_count) == (5, 25, 9)
    assert solved == {learner.quiz.id}
