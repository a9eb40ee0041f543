"""On MariaDB a marking takes a fixed, small number of round trips, whatever its number of
answers: four reads, then its writes together with the event, then the claim with the COMMIT,
and no ROLLBACK after it. Each round trip is a wait on the database while the member's row is
locked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pullit_domain.model.marking import AnswerKind, SubmittedAnswer
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from tests.support.reviews import Learner


def answers(learner: Learner) -> list[SubmittedAnswer]:
    # Every other answer wrong: the note, the cards, the log and the stats all change.
    return [
        SubmittedAnswer(question_id, f"a{n}" if n % 2 else "nope", AnswerKind.STRING)
        for n, question_id in enumerate(learner.quiz.question_ids)
    ]


@pytest.mark.parametrize("uow_factory", ["mariadb"], indirect=True)
@pytest.mark.parametrize("count", [3, 20])
async def test_a_marking_takes_six_round_trips_whatever_its_size(
    uow_factory: UnitOfWorkFactory, mariadb_queries: list[str], count: int
) -> None:
    learner = await Learner(uow_factory).start(questions=count)
    await learner.mark(learner.member_id, answers(learner), False)  # the cards exist from here on
    learner.clock.advance(timedelta(minutes=10))
    mariadb_queries.clear()

    result = await learner.mark(learner.member_id, answers(learner), False)

    assert len(result.results) == count
    assert len(mariadb_queries) == 6, [query[:60] for query in mariadb_queries]
    writes, commit = mariadb_queries[-2:]
    assert writes.count(";") == 6 and "INSERT INTO domain_events" in writes
    assert commit.endswith("COMMIT")
