"""The review routes on a live server (SQLite and MariaDB): marking fills the queue, a card is
answered once per Idempotency-Key, and every refusal has its own code."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pullit_adapters.clock import SystemClock
from pullit_adapters.sql.migrate import upgrade
from pullit_adapters.tokens import JwtAccessTokens
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.use_cases.members import SignUpMember
from tests.support.app import TEST_SECRET
from tests.support.live_server import LiveServer
from tests.support.notifications import Database, database
from tests.support.services import fresh_mariadb_database
from tests.support.solving import ReadySet, choice, ready_set, short, true_false


@pytest.fixture(scope="module", params=["sqlite", "mariadb"])
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    data_dir = tmp_path_factory.mktemp("review-live")
    with fresh_mariadb_database() if request.param == "mariadb" else _sqlite(data_dir) as url:
        upgrade(url)
        environ = {"PULLIT_DATABASE_URL": url, "PULLIT_RUN_WORKER": "false", "PULLIT_DATA_DIR": str(data_dir)}
        with LiveServer(environ) as server:
            yield server.url, url


class _sqlite:
    def __init__(self, data_dir: Path) -> None:
        self.url = f"sqlite+aiosqlite:///{data_dir / 'pullit.db'}"

    def __enter__(self) -> str:
        return self.url

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.fixture
async def db(live: tuple[str, str]) -> AsyncIterator[Database]:
    async with database(live[1]) as db:
        yield db


@pytest.fixture
async def http(live: tuple[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live[0], timeout=10) as client:
        yield client


async def learner_with_quiz(db: Database) -> tuple[dict[str, str], ReadySet]:
    subject = uuid.uuid4().hex
    identity = ExternalIdentity("test", subject, "Learner", f"{subject}@example.test")
    member = (await SignUpMember(db.uow, SystemClock())(identity)).member
    assert member.id is not None
    token = JwtAccessTokens(secret=TEST_SECRET, clock=SystemClock()).issue(member.id, member.role)
    quiz = await ready_set(
        db.uow, member.id, [choice("Chlorophyll", "Glucose", "Oxygen", "Water"), short("ATP"), true_false(True)]
    )
    return {"Authorization": f"Bearer {token}"}, quiz


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def problem(response: httpx.Response, status: int, code: str) -> None:
    assert (response.status_code, response.headers["content-type"]) == (status, "application/problem+json")
    assert response.json()["code"] == code, response.text


async def test_marking_fills_the_queue_and_a_double_click_reviews_once(http: httpx.AsyncClient, db: Database) -> None:
    headers, quiz = await learner_with_quiz(db)
    q0, q1, _ = quiz.question_ids
    marking = [
        {"questionId": q0, "memberAnswer": "Glucose", "memberAnswerType": "string"},
        {"questionId": q1, "memberAnswer": "ATP", "memberAnswerType": "string"},
    ]
    ok(await http.post("/api/marking", json=marking, headers=headers))

    queue = ok(await http.get("/api/review/due", headers=headers))
    # Due in one and ten minutes: served at once through the learn-ahead window, wrong one first.
    assert [c["questionId"] for c in queue["cards"]] == [q0, q1]
    first = queue["cards"][0]
    assert first["questionSetTitle"] == "Photosynthesis"
    assert (first["state"], first["isNew"], first["questionType"]) == ("LEARNING", True, "MULTIPLE_CHOICE")
    assert first["options"] == ["Chlorophyll", "Glucose", "Oxygen", "Water"]
    assert "answer" not in first and "explanation" not in first

    click = {**headers, "Idempotency-Key": "review-q0-1"}
    body = {"memberAnswer": "Chlorophyll"}
    replies = await asyncio.gather(*(http.post(f"/api/review/{q0}", json=body, headers=click) for _ in range(2)))
    result, again = (ok(r) for r in replies)
    assert result == again
    assert (result["isCorrect"], result["rating"], result["state"]) == (True, "GOOD", "LEARNING")
    assert (result["correctAnswer"], result["explanation"]) == ("Chlorophyll", "Because Chlorophyll.")
    assert result["intervalSeconds"] == 600
    stats = ok(await http.get("/api/review/stats", headers=headers))
    assert stats["reviewsToday"] == 3  # two answers in the marking, one review
    assert stats["cardsByState"] == {"LEARNING": 2, "REVIEW": 0, "RELEARNING": 0}
    assert stats["trueRetentionLast30Days"] is None

    problem(await http.post(f"/api/review/{q0}", json={"memberAnswer": "Water"}, headers=click), 409, "COMMON_008")
    easy = ok(await http.post(f"/api/review/{q1}", json={"memberAnswer": "atp", "rating": "EASY"}, headers=headers))
    assert (easy["rating"], easy["state"]) == ("EASY", "REVIEW")
    assert easy["intervalSeconds"] >= 86400

    forecast = ok(await http.get("/api/review/forecast?days=14", headers=headers))
    assert len(forecast) == 14
    assert sum(day["count"] for day in forecast) == 2


async def test_two_answers_to_one_card_at_once_are_both_scheduled(http: httpx.AsyncClient, db: Database) -> None:
    headers, quiz = await learner_with_quiz(db)
    q0 = quiz.question_ids[0]
    marking = [{"questionId": q0, "memberAnswer": "Glucose", "memberAnswerType": "string"}]  # wrong: learning
    ok(await http.post("/api/marking", json=marking, headers=headers))

    body = {"memberAnswer": "Chlorophyll"}
    replies = await asyncio.gather(*(http.post(f"/api/review/{q0}", json=body, headers=headers) for _ in range(2)))

    # One after the other: the first right answer takes the learning card to its next step, the
    # second graduates it; a lost update would schedule both from the same state.
    states = sorted((ok(r)["state"], ok(r)["intervalSeconds"]) for r in replies)
    assert states[0] == ("LEARNING", 600)
    assert states[1][0] == "REVIEW"
    stats = ok(await http.get("/api/review/stats", headers=headers))
    assert stats["reviewsToday"] == 3  # the marking's answer and both reviews


async def test_refusals_have_their_own_codes_and_settings_round_trip(http: httpx.AsyncClient, db: Database) -> None:
    headers, quiz = await learner_with_quiz(db)
    q0, _, q2 = quiz.question_ids
    ok(
        await http.post(
            "/api/marking",
            json=[{"questionId": q0, "memberAnswer": "Water", "memberAnswerType": "string"}],
            headers=headers,
        )
    )

    problem(
        await http.post(f"/api/review/{q0}", json={"memberAnswer": "Water", "rating": "MEDIUM"}, headers=headers),
        400,
        "REVIEW_001",
    )
    problem(await http.post(f"/api/review/{q2}", json={"memberAnswer": True}, headers=headers), 409, "REVIEW_004")
    problem(await http.post(f"/api/review/{q2}", json={"memberAnswer": "true"}, headers=headers), 400, "COMMON_001")
    stranger, _ = await learner_with_quiz(db)
    problem(await http.post(f"/api/review/{q0}", json={"memberAnswer": "Water"}, headers=stranger), 404, "QSE_004")
    problem(await http.get("/api/review/due?limit=0", headers=headers), 400, "COMMON_001")
    problem(await http.get("/api/review/forecast?days=91", headers=headers), 400, "COMMON_001")
    problem(await http.get("/api/review/due"), 401, "AUTH001")

    assert ok(await http.get("/api/members/me/review-settings", headers=headers)) == {
        "desiredRetention": 0.9,
        "maxNewPerDay": 20,
    }
    problem(
        await http.put("/api/members/me/review-settings", json={"desiredRetention": 0.5}, headers=headers),
        400,
        "REVIEW_002",
    )
    problem(
        await http.put("/api/members/me/review-settings", json={"maxNewPerDay": -1}, headers=headers), 400, "REVIEW_003"
    )
    changed = ok(await http.put("/api/members/me/review-settings", json={"desiredRetention": 0.85}, headers=headers))
    assert changed == {"desiredRetention": 0.85, "maxNewPerDay": 20}
    assert ok(await http.get("/api/members/me/review-settings", headers=stranger))["desiredRetention"] == 0.9

    # Deleting the set takes its cards out of the queue.
    assert len(ok(await http.get("/api/review/due", headers=headers))["cards"]) == 1
    assert (await http.delete(f"/api/question-set/{quiz.id}", headers=headers)).status_code == 200
    assert ok(await http.get("/api/review/due", headers=headers)) == {"cards": [], "dueCount": 0, "newCount": 0}
