"""Question sets through HTTP on the embedded default: local store, offline generator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar

from pullit_web.bootstrap.container import Container
from pullit_web.settings import Settings
from tests.support.app import make_settings
from tests.support.database import migrated_sqlite
from tests.support.members import SignedIn, sign_in
from tests.support.uploads import Client, ready_source


async def run_worker(app: Litestar) -> None:
    """One claim-and-run round of a generation worker of its own, as a `pullit worker` would."""
    worker = Container(settings=app.state.settings)
    try:
        assert await worker.generation_worker().run_once()
    finally:
        await worker.engine().dispose()


async def ask(client: Client, who: SignedIn, body: dict[str, Any], key: str | None = None) -> int:
    headers = {**who.headers, **({"Idempotency-Key": key} if key else {})}
    response = await client.post("/api/question-set", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.content == b""
    location = response.headers["location"]
    assert location.startswith("/api/question-set/")
    return int(location.rsplit("/", 1)[1])


def request_body(source_id: int, kind: str = "MULTIPLE_CHOICE", count: int = 3, **extra: Any) -> dict[str, Any]:
    return {"sourceIds": [source_id], "type": kind, "difficulty": "EASY", "questionCount": count, **extra}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A database of this test's own, so the worker only ever finds this test's jobs."""
    url = migrated_sqlite(tmp_path / "own.db")
    return make_settings(tmp_path, database_url=url)


@pytest.fixture
async def learner(app: Litestar) -> SignedIn:
    return await sign_in(app, "Jiwoo")


@pytest.fixture
async def source(client: Client, learner: SignedIn, fixtures_dir: Path) -> int:
    return await ready_source(client, learner, fixtures_dir / "photosynthesis.pdf")


async def test_a_requested_set_is_pending_then_complete_with_the_contract_fields(
    app: Litestar, client: Client, learner: SignedIn, source: int
) -> None:
    set_id = await ask(client, learner, request_body(source, "MULTIPLE_CHOICE", 4))

    pending = await client.get(f"/api/question-set/{set_id}", headers=learner.headers)
    assert pending.status_code == 400
    assert pending.headers["content-type"].startswith("application/problem+json")
    assert pending.json()["code"] == "QSE_002"

    await run_worker(app)
    response = await client.get(f"/api/question-set/{set_id}", headers=learner.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {
        "id", "sourceIds", "ownerID", "title", "questions", "difficulty", "type", "questionLength",
        "status", "commonFolderId", "commonFolderName", "createTime", "updateTime", "requested", "delivered",
    }  # fmt: skip
    assert (body["requested"], body["delivered"]) == (4, 4)
    assert (body["id"], body["sourceIds"], body["ownerID"]) == (set_id, [source], learner.member_id)
    assert (body["status"], body["type"], body["difficulty"]) == ("COMPLETE", "MULTIPLE_CHOICE", "EASY")
    assert body["questionLength"] == len(body["questions"]) == 4
    assert body["commonFolderName"] == "전체"
    for question in body["questions"]:
        assert question["questionType"] == "MULTIPLE_CHOICE"
        assert len(question["options"]) == 4
        assert question["answer"] in question["options"]
        assert question["source"]["sourceId"] == source
        assert question["source"]["page"] >= 1
        # The passage behind the question, as the page writes it (line breaks aside).
        assert question["source"]["quote"]


async def test_true_false_answers_are_booleans_and_other_types_have_no_options(
    app: Litestar, client: Client, learner: SignedIn, source: int
) -> None:
    true_false = await ask(client, learner, request_body(source, "TRUE_FALSE", 3))
    short = await ask(client, learner, request_body(source, "SHORT_ANSWER", 3))
    await run_worker(app)
    await run_worker(app)

    for set_id, check in ((true_false, lambda a: isinstance(a, bool)), (short, lambda a: 0 < len(a) <= 20)):
        questions = (await client.get(f"/api/question-set/{set_id}", headers=learner.headers)).json()["questions"]
        assert len(questions) == 3
        assert all(check(q["answer"]) for q in questions)
        assert all("options" not in q for q in questions)


async def test_the_same_idempotency_key_creates_one_set(client: Client, learner: SignedIn, source: int) -> None:
    first = await ask(client, learner, request_body(source), key="9f2c-once")
    again = await ask(client, learner, request_body(source), key="9f2c-once")

    assert again == first
    listed = (await client.get("/api/question-set/all", headers=learner.headers)).json()
    assert [item["questionSetId"] for item in listed] == [first]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"questionCount": 0}, "questionCount"),
        ({"questionCount": 101}, "questionCount"),
        ({"sourceIds": []}, "sourceIds"),
        ({"type": "ESSAY"}, "type"),
        ({"difficulty": "MEDIUM"}, "difficulty"),
    ],
)
async def test_bad_requests_are_problems_naming_the_field(
    client: Client, learner: SignedIn, source: int, change: dict[str, Any], field: str
) -> None:
    response = await client.post("/api/question-set", json={**request_body(source), **change}, headers=learner.headers)

    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "COMMON_001"
    assert field in problem["detail"]
    listed = (await client.get("/api/question-set/all", headers=learner.headers)).json()
    assert listed == []


async def test_someone_elses_source_is_refused_and_their_set_is_not_found(
    app: Litestar, client: Client, learner: SignedIn, source: int
) -> None:
    stranger = await sign_in(app, "Stranger")
    refused = await client.post("/api/question-set", json=request_body(source), headers=stranger.headers)
    assert refused.status_code == 400
    assert refused.json()["code"] == "QSE_007"

    set_id = await ask(client, learner, request_body(source))
    await run_worker(app)
    for method, path in (
        ("GET", f"/api/question-set/{set_id}"),
        ("PATCH", f"/api/question-set/{set_id}"),
        ("DELETE", f"/api/question-set/{set_id}"),
        ("POST", f"/api/question-set/{set_id}/retry"),
    ):
        response = await client.request(method, path, headers=stranger.headers, json={"title": "mine now"})
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["code"] == "QSE_001"
    assert (await client.get(f"/api/question-set/{set_id}", headers=learner.headers)).json()["title"] != "mine now"


async def test_cursor_pages_are_newest_first(client: Client, learner: SignedIn, source: int) -> None:
    ids = [await ask(client, learner, request_body(source, count=1)) for _ in range(3)]

    first = (await client.get("/api/question-set?size=2", headers=learner.headers)).json()
    page = first["questionSets"]
    assert [item["questionSetId"] for item in page["content"]] == [ids[2], ids[1]]
    assert (page["hasNext"], page["nextCursor"], page["size"]) == (True, ids[1], 2)
    assert isinstance(first["learningProgress"], int)
    summary = page["content"][0]
    assert set(summary) == {
        "questionSetId", "title", "sourceIds", "sourceNames", "questionCount", "difficultyType",
        "questionType", "status", "commonFolderId", "commonFolderName", "createdAt", "requested", "delivered",
    }  # fmt: skip
    assert (summary["sourceNames"], summary["status"], summary["title"]) == (
        ["photosynthesis.pdf"],
        "PENDING",
        "photosynthesis.pdf",
    )

    second = (await client.get(f"/api/question-set?size=2&cursor={ids[1]}", headers=learner.headers)).json()
    assert [item["questionSetId"] for item in second["questionSets"]["content"]] == [ids[0]]
    assert (second["questionSets"]["hasNext"], second["questionSets"]["nextCursor"]) == (False, None)

    too_big = await client.get("/api/question-set?size=1000", headers=learner.headers)
    assert too_big.status_code == 400


async def test_rename_delete_and_retry_rules(app: Litestar, client: Client, learner: SignedIn, source: int) -> None:
    set_id = await ask(client, learner, request_body(source, count=2))
    await run_worker(app)

    renamed = await client.patch(f"/api/question-set/{set_id}", json={"title": "광합성 복습"}, headers=learner.headers)
    assert renamed.status_code == 200
    assert (await client.get(f"/api/question-set/{set_id}", headers=learner.headers)).json()["title"] == "광합성 복습"

    not_failed = await client.post(f"/api/question-set/{set_id}/retry", headers=learner.headers)
    assert not_failed.status_code == 409

    deleted = await client.delete(f"/api/question-set/{set_id}", headers=learner.headers)
    assert deleted.status_code == 200
    gone = await client.get(f"/api/question-set/{set_id}", headers=learner.headers)
    assert gone.status_code == 404
    assert (await client.get("/api/question-set/all", headers=learner.headers)).json() == []


async def test_manual_question_crud_is_owner_only(
    app: Litestar, client: Client, learner: SignedIn, source: int
) -> None:
    set_id = await ask(client, learner, request_body(source, "SHORT_ANSWER", 1))
    await run_worker(app)
    body = {"questionSetId": set_id, "questionType": "SHORT_ANSWER", "questionText": "Where?", "answer": "chloroplast"}

    created = await client.post("/api/question", json=body, headers=learner.headers)
    assert created.status_code == 201, created.text
    question_id = created.json()["id"]
    assert created.headers["location"] == f"/api/question/{question_id}"

    too_long = await client.put(
        f"/api/question/{question_id}", json={**body, "answer": "x" * 21}, headers=learner.headers
    )
    assert too_long.status_code == 400
    updated = await client.put(
        f"/api/question/{question_id}", json={**body, "answer": "엽록체"}, headers=learner.headers
    )
    assert updated.json()["answer"] == "엽록체"

    stranger = await sign_in(app, "Stranger")
    for method in ("GET", "PUT", "DELETE"):
        response = await client.request(method, f"/api/question/{question_id}", json=body, headers=stranger.headers)
        assert response.status_code == 404
    foreign = await client.post("/api/question", json=body, headers=stranger.headers)
    assert foreign.status_code == 404

    assert (await client.delete(f"/api/question/{question_id}", headers=learner.headers)).status_code == 204
    assert (await client.get(f"/api/question/{question_id}", headers=learner.headers)).status_code == 404
    questions = (await client.get(f"/api/question-set/{set_id}", headers=learner.headers)).json()["questions"]
    assert len(questions) == 1


async def test_requests_without_a_token_are_401(client: Client) -> None:
    response = await client.get("/api/question-set/all")
    assert response.status_code == 401
    assert response.json()["code"] == "AUTH001"


async def test_validation_problems_speak_the_requests_language(client: Client, learner: SignedIn, source: int) -> None:
    body = {**request_body(source), "questionCount": 0}

    korean = await client.post("/api/question-set", json=body, headers={**learner.headers, "Accept-Language": "ko"})
    english = await client.post("/api/question-set", json=body, headers={**learner.headers, "Accept-Language": "en"})

    assert korean.json()["code"] == english.json()["code"] == "COMMON_001"
    assert korean.json()["detail"] == "questionCount: 1 이상이어야 합니다"
    assert english.json()["detail"] == "questionCount: must be at least 1"
    assert korean.json()["errors"][0]["message"] == "1 이상이어야 합니다"
