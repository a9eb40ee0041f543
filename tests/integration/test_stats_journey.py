"""The whole journey on the embedded default: sign in, upload, generate offline, solve with
mistakes, read the wrong-answer note, review, and see the stats."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pullit_adapters.memory import ManualClock
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_web.bootstrap.app import create_app
from pullit_web.bootstrap.container import Container
from pullit_web.settings import Settings
from tests.support.solving import signed_in
from tests.support.uploads import ready_source

Client = AsyncTestClient[Litestar]


@pytest.fixture
def app(settings: Settings) -> Litestar:
    # A fixed instant, so the day and week of the stats cannot change under the test.
    container = Container(settings=settings)
    container.clock.override(providers.Object(ManualClock(datetime(2026, 3, 4, 1, 0, tzinfo=UTC))))
    return create_app(settings, container)


def answer(question: dict[str, Any], right: bool) -> dict[str, Any]:
    if question["questionType"] == "TRUE_FALSE":
        value: str | bool = question["answer"] if right else not question["answer"]
        return {"questionId": question["id"], "memberAnswer": value, "memberAnswerType": "boolean"}
    if question["questionType"] == "MULTIPLE_CHOICE":
        wrong = next(option for option in question["options"] if option != question["answer"])
        value = f"  {question['answer'].upper()} " if right else wrong
    else:
        value = question["answer"] if right else "definitely not it"
    return {"questionId": question["id"], "memberAnswer": value, "memberAnswerType": "string"}


@pytest.mark.parametrize("kind", ["MULTIPLE_CHOICE", "TRUE_FALSE", "SHORT_ANSWER"])
async def test_from_upload_to_review_and_stats(
    app: Litestar, client: Client, db: UnitOfWorkFactory, fixtures_dir: Path, kind: str
) -> None:
    learner = await signed_in(app, db, "Haneul")
    source = await ready_source(client, learner, fixtures_dir / "photosynthesis.pdf")
    body = {"sourceIds": [source], "type": kind, "difficulty": "EASY", "questionCount": 4}
    created = await client.post("/api/question-set", json=body, headers=learner.headers)
    assert created.status_code == 201, created.text
    set_id = int(created.headers["location"].rsplit("/", 1)[1])
    assert await app.state.container.generation_worker().run_once()
    generated = await client.get(f"/api/question-set/{set_id}", headers=learner.headers)
    assert generated.status_code == 200, generated.text
    questions = generated.json()["questions"]
    assert len(questions) == 4

    marked = await client.post(
        "/api/marking",
        json=[answer(q, right=n % 2 == 0) for n, q in enumerate(questions)],
        headers=learner.headers,
    )
    assert marked.status_code == 200, marked.text
    assert [r["isCorrect"] for r in marked.json()["results"]] == [True, False, True, False]
    assert marked.json()["correctCount"] == 2

    note = (await client.get("/api/wrong-answers", headers=learner.headers)).json()
    assert [(c["questionSetId"], c["incorrectCount"], c["sourceNames"]) for c in note["content"]] == [
        (set_id, 2, ["photosynthesis.pdf"])
    ]
    review = await client.get(f"/api/question-set/{set_id}", params={"isReviewing": "true"}, headers=learner.headers)
    assert [q["id"] for q in review.json()["questions"]] == [questions[1]["id"], questions[3]["id"]]

    reviewed = await client.post(
        "/api/marking",
        params={"isReviewing": "true"},
        json=[answer(q, right=True) for q in review.json()["questions"]],
        headers=learner.headers,
    )
    assert reviewed.json()["correctCount"] == 2
    done = await client.get(f"/api/question-set/{set_id}", params={"isReviewing": "true"}, headers=learner.headers)
    assert done.status_code == 404 and done.json()["code"] == "WAN_002"

    stats = await client.get(f"/api/members/{learner.member_id}/learn-stats", headers=learner.headers)
    assert stats.json() == {
        "totalQuestionSetCount": 1,
        "totalSolvedQuestionSetCount": 2,
        "totalSolvedQuestionCount": 6,
        "totalCorrectQuestionCount": 4,
        "weeklySolvedQuestionCount": 6,
        "consecutiveLearningDays": 1,
    }
    daily = await client.get(f"/api/members/{learner.member_id}/daily-stats", headers=learner.headers)
    assert daily.json() == [{"date": "2026-03-04", "count": 6}]
