"""Solving through HTTP: marking, the wrong-answer note, review mode, stats and learning progress."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dependency_injector import providers
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pullit_adapters.memory import ManualClock
from pullit_domain.model.member import Role
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_domain.use_cases.stats import GetLearningProgress
from pullit_web.bootstrap.app import create_app
from pullit_web.bootstrap.container import Container
from pullit_web.settings import Settings
from tests.support.members import SignedIn
from tests.support.solving import ReadySet, choice, ready_set, short, signed_in, subjective, true_false

Client = AsyncTestClient[Litestar]
SEOUL = ZoneInfo("Asia/Seoul")
WEDNESDAY = datetime(2026, 3, 4, 10, 0, tzinfo=SEOUL)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(WEDNESDAY)


@pytest.fixture
def app(settings: Settings, clock: ManualClock) -> Litestar:
    container = Container(settings=settings)
    container.clock.override(providers.Object(clock))
    return create_app(settings, container)


@pytest.fixture
async def learner(app: Litestar, db: UnitOfWorkFactory) -> SignedIn:
    return await signed_in(app, db, "Seoyeon")


@pytest.fixture
async def quiz(db: UnitOfWorkFactory, learner: SignedIn) -> ReadySet:
    return await ready_set(
        db,
        learner.member_id,
        [choice("Chlorophyll", "Glucose", "Oxygen", "Water"), short("ATP"), true_false(True), short("stroma")],
        title="Photosynthesis",
    )


def answer(question_id: int, value: str | bool) -> dict[str, Any]:
    kind = "boolean" if isinstance(value, bool) else "string"
    return {"questionId": question_id, "memberAnswer": value, "memberAnswerType": kind}


async def mark(client: Client, who: SignedIn, answers: list[dict[str, Any]], reviewing: bool = False) -> Any:
    response = await client.post(
        "/api/marking", json=answers, params={"isReviewing": str(reviewing).lower()}, headers=who.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def stats(client: Client, who: SignedIn) -> Any:
    response = await client.get(f"/api/members/{who.member_id}/learn-stats", headers=who.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def note(client: Client, who: SignedIn, **params: Any) -> Any:
    response = await client.get("/api/wrong-answers", params=params, headers=who.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_marking_answers_with_correct_answers_and_explanations(
    client: Client, learner: SignedIn, quiz: ReadySet
) -> None:
    q = quiz.question_ids
    body = await mark(
        client, learner, [answer(q[0], " chlorophyll"), answer(q[1], "a t p"), answer(q[2], False), answer(q[3], "x")]
    )

    assert body == {
        "results": [
            {
                "questionId": q[0],
                "isCorrect": True,
                "correctAnswer": "Chlorophyll",
                "explanation": "Because Chlorophyll.",
                "quote": "The material says Chlorophyll.",
            },
            {
                "questionId": q[1],
                "isCorrect": True,
                "correctAnswer": "ATP",
                "explanation": "Because ATP.",
                "quote": "The material says ATP.",
            },
            {
                "questionId": q[2],
                "isCorrect": False,
                "correctAnswer": True,
                "explanation": "Because true.",
                "quote": "The material says true.",
            },
            {
                "questionId": q[3],
                "isCorrect": False,
                "correctAnswer": "stroma",
                "explanation": "Because stroma.",
                "quote": "The material says stroma.",
            },
        ],
        "totalQuestions": 4,
        "correctCount": 2,
    }


def next_day(app: Litestar, clock: ManualClock, who: SignedIn, days: int = 1) -> SignedIn:
    """Move the calendar on; access tokens last 30 minutes, so the learner signs in again."""
    clock.advance(timedelta(days=days))
    token = app.state.container.access_tokens().issue(who.member_id, Role.MEMBER)
    return SignedIn(who.member_id, token)


async def test_wrong_answers_review_and_stats_follow_the_submissions(
    app: Litestar, client: Client, clock: ManualClock, learner: SignedIn, quiz: ReadySet
) -> None:
    q = quiz.question_ids
    await mark(client, learner, [answer(q[0], "Glucose"), answer(q[1], "ATP"), answer(q[2], True), answer(q[3], "x")])

    page = await note(client, learner)
    assert page == {
        "content": [
            {
                "questionSetId": quiz.id,
                "questionSetTitle": "Photosynthesis",
                "sourceNames": [],
                "difficulty": "EASY",
                "majorTopic": "MULTIPLE_CHOICE",
                "incorrectCount": 2,
                "category": "전체",
            }
        ],
        "nextCursor": None,
        "hasNext": False,
        "size": 20,
    }
    review = await client.get(f"/api/question-set/{quiz.id}", params={"isReviewing": "true"}, headers=learner.headers)
    assert review.status_code == 200, review.text
    assert [question["id"] for question in review.json()["questions"]] == [q[0], q[3]]
    whole = await client.get(f"/api/question-set/{quiz.id}", headers=learner.headers)
    assert len(whole.json()["questions"]) == 4

    # The next day, review: one right, one wrong again.
    learner = next_day(app, clock, learner)
    reviewed = await mark(client, learner, [answer(q[0], "Chlorophyll"), answer(q[3], "grana")], reviewing=True)
    assert [r["isCorrect"] for r in reviewed["results"]] == [True, False]
    assert (await note(client, learner))["content"][0]["incorrectCount"] == 1

    await mark(client, learner, [answer(q[3], "Stroma ")], reviewing=True)
    assert (await note(client, learner))["content"] == []
    nothing = await client.get(f"/api/question-set/{quiz.id}", params={"isReviewing": "true"}, headers=learner.headers)
    assert nothing.status_code == 404 and nothing.json()["code"] == "WAN_002"

    assert await stats(client, learner) == {
        "totalQuestionSetCount": 1,
        "totalSolvedQuestionSetCount": 3,
        "totalSolvedQuestionCount": 7,
        "totalCorrectQuestionCount": 4,
        "weeklySolvedQuestionCount": 7,
        "consecutiveLearningDays": 2,
    }
    daily = await client.get(
        f"/api/members/{learner.member_id}/daily-stats",
        params={"from": "2026-03-01", "to": "2026-03-31"},
        headers=learner.headers,
    )
    assert daily.status_code == 200
    assert daily.json() == [{"date": "2026-03-04", "count": 4}, {"date": "2026-03-05", "count": 3}]

    # Saturday: Friday was missed entirely, so the streak reads 0.
    learner = next_day(app, clock, learner, days=2)
    assert (await stats(client, learner))["consecutiveLearningDays"] == 0


async def test_the_note_pages_by_question_set_and_filters_by_folder(
    client: Client, db: UnitOfWorkFactory, learner: SignedIn
) -> None:
    created = await client.post(
        "/api/common-folders", json={"name": "Chemistry", "type": "QUESTION_SET"}, headers=learner.headers
    )
    chemistry = created.json()["id"]
    sets = [await ready_set(db, learner.member_id, [short("a"), short("b")], title=f"Set {n}") for n in range(3)]
    filed = await ready_set(db, learner.member_id, [short("c")], title="Acids", folder_id=chemistry)
    for question_set in [*sets, filed]:
        await mark(client, learner, [answer(i, "wrong") for i in question_set.question_ids])

    first = await note(client, learner, size=2)
    second = await note(client, learner, size=2, cursor=first["nextCursor"])

    assert [(c["questionSetTitle"], c["incorrectCount"]) for c in first["content"]] == [("Acids", 1), ("Set 2", 2)]
    assert (first["hasNext"], first["nextCursor"], first["size"]) == (True, sets[2].id, 2)
    assert [c["questionSetTitle"] for c in second["content"]] == ["Set 1", "Set 0"]
    assert (second["hasNext"], second["nextCursor"]) == (False, None)
    assert first["content"][0]["category"] == "Chemistry"

    in_folder = await client.get("/api/wrong-answers/all", params={"folderId": chemistry}, headers=learner.headers)
    everything = await client.get("/api/wrong-answers/all", headers=learner.headers)
    assert [c["questionSetId"] for c in in_folder.json()] == [filed.id]
    assert [c["questionSetId"] for c in everything.json()] == [filed.id, *[s.id for s in reversed(sets)]]


async def test_learning_progress_counts_complete_sets_solved_once(
    client: Client, db: UnitOfWorkFactory, learner: SignedIn, quiz: ReadySet
) -> None:
    others = [await ready_set(db, learner.member_id, [short("a")]) for _ in range(2)]
    await ready_set(db, learner.member_id, [short("a")], status=QuestionSetStatus.PENDING)
    progress = GetLearningProgress(db)

    assert await progress(learner.member_id) == 0
    await mark(client, learner, [answer(quiz.question_ids[1], "ATP")])
    assert await progress(learner.member_id) == 33
    await mark(client, learner, [answer(others[0].question_ids[0], "x")])
    await mark(client, learner, [answer(others[0].question_ids[0], "a")])
    assert await progress(learner.member_id) == 66
    await mark(client, learner, [answer(others[1].question_ids[0], "a")])
    assert await progress(learner.member_id) == 100


async def test_refused_submissions_are_contract_errors_and_write_nothing(
    app: Litestar, client: Client, db: UnitOfWorkFactory, learner: SignedIn, quiz: ReadySet
) -> None:
    other = await signed_in(app, db, "Other")
    theirs = await ready_set(db, other.member_id, [short("a")])
    q = quiz.question_ids
    attempts = {
        "someone else's question": [answer(q[0], "x"), answer(theirs.question_ids[0], "x")],
        "a missing question": [answer(q[0], "x"), answer(10_000_000, "x")],
        "nothing": [],
        "a string for true/false": [answer(q[0], "x"), answer(q[2], "true")],
        "a boolean for short answer": [answer(q[0], "x"), answer(q[1], True)],
        "an unknown answer type": [{"questionId": q[0], "memberAnswer": "x", "memberAnswerType": "number"}],
    }

    responses = {
        name: await client.post("/api/marking", json=body, headers=learner.headers) for name, body in attempts.items()
    }

    assert {name: (r.status_code, r.json()["code"]) for name, r in responses.items()} == {
        "someone else's question": (404, "QSE_004"),
        "a missing question": (404, "QSE_004"),
        "nothing": (400, "COMMON_001"),
        "a string for true/false": (400, "COMMON_001"),
        "a boolean for short answer": (400, "COMMON_001"),
        "an unknown answer type": (400, "COMMON_001"),
    }
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in responses.values())
    assert (await note(client, learner))["content"] == []
    assert (await stats(client, learner))["totalSolvedQuestionSetCount"] == 0
    anonymous = await client.post("/api/marking", json=[answer(q[0], "x")])
    assert anonymous.status_code == 401


async def test_stats_are_only_for_their_member(
    app: Litestar, client: Client, db: UnitOfWorkFactory, learner: SignedIn
) -> None:
    other = await signed_in(app, db, "Other")

    learn = await client.get(f"/api/members/{other.member_id}/learn-stats", headers=learner.headers)
    daily = await client.get(f"/api/members/{other.member_id}/daily-stats", headers=learner.headers)
    backwards = await client.get(
        f"/api/members/{learner.member_id}/daily-stats",
        params={"from": "2026-03-10", "to": "2026-03-01"},
        headers=learner.headers,
    )

    not_a_date = await client.get(
        f"/api/members/{learner.member_id}/daily-stats", params={"from": "yesterday"}, headers=learner.headers
    )

    assert (learn.status_code, daily.status_code) == (404, 404)
    assert (backwards.status_code, not_a_date.status_code) == (400, 400)
    assert await stats(client, learner) == {
        "totalQuestionSetCount": 0,
        "totalSolvedQuestionSetCount": 0,
        "totalSolvedQuestionCount": 0,
        "totalCorrectQuestionCount": 0,
        "weeklySolvedQuestionCount": 0,
        "consecutiveLearningDays": 0,
    }


async def test_subjective_answers_are_marked_by_the_configured_marker_or_self_assessed(
    client: Client, db: UnitOfWorkFactory, learner: SignedIn
) -> None:
    essay = await ready_set(
        db,
        learner.member_id,
        [subjective("Chlorophyll absorbs light energy for photosynthesis."), subjective("Water is split.")],
    )
    q = essay.question_ids

    # No Gemini key: the offline marker scores key-term overlap with the model answer.
    written = await mark(
        client,
        learner,
        [answer(q[0], "Photosynthesis uses light energy that chlorophyll absorbs"), answer(q[1], "No idea")],
    )
    assessed = await mark(client, learner, [answer(q[1], True)])

    assert [r["isCorrect"] for r in written["results"]] == [True, False]
    assert written["results"][0]["correctAnswer"] == "Chlorophyll absorbs light energy for photosynthesis."
    assert assessed["results"][0]["isCorrect"] is True
