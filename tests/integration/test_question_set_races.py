"""Concurrent creations against a live server: one set per Idempotency-Key, and an exact pending cap."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from tests.support.database import migrated_sqlite, own_database
from tests.support.live_server import LiveServer
from tests.support.racing import Racer, all_at_once, racer_with_ready_source

CAP = 5


@pytest.fixture(scope="module", params=["sqlite", "mariadb"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return migrated_sqlite(tmp_path_factory.mktemp("races") / "races.db")
    return str(request.getfixturevalue("mariadb_url"))


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server per database for the module; each test races with a member of its own."""
    environ = {
        "PULLIT_DATABASE_URL": database_url,
        "PULLIT_DATA_DIR": str(tmp_path_factory.mktemp("server")),
        "PULLIT_RUN_WORKER": "false",  # sets stay PENDING, so the cap is what refuses
        "PULLIT_PENDING_SETS_PER_MEMBER": str(CAP),
        "PULLIT_RATE_LIMIT_QUESTION_SETS_PER_MINUTE": "0",
    }
    with LiveServer(environ) as live:
        yield live


@pytest.fixture
async def racer(database_url: str) -> Racer:
    async with own_database(database_url) as uow:
        return await racer_with_ready_source(uow)


@pytest.fixture
async def http(server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        yield client


def body(racer: Racer, count: int = 3) -> dict[str, Any]:
    return {"sourceIds": [racer.source_id], "type": "MULTIPLE_CHOICE", "difficulty": "EASY", "questionCount": count}


async def listed(http: httpx.AsyncClient, racer: Racer) -> list[int]:
    response = await http.get("/api/question-set/all", headers=racer.headers)
    assert response.status_code == 200, response.text
    return [item["questionSetId"] for item in response.json()]


async def test_six_concurrent_requests_with_one_key_make_one_set_and_identical_answers(
    http: httpx.AsyncClient, racer: Racer
) -> None:
    headers = {**racer.headers, "Idempotency-Key": "tab-retry-7"}

    replies = await all_at_once(6, lambda: http.post("/api/question-set", json=body(racer), headers=headers))

    assert [(r.status_code, r.content) for r in replies] == [(201, b"")] * 6, [r.text for r in replies]
    locations = {r.headers["location"] for r in replies}
    assert len(locations) == 1
    assert [f"/api/question-set/{set_id}" for set_id in await listed(http, racer)] == list(locations)


async def test_eight_concurrent_requests_over_a_cap_of_five_make_exactly_five_sets(
    http: httpx.AsyncClient, racer: Racer
) -> None:
    replies = await all_at_once(8, lambda: http.post("/api/question-set", json=body(racer), headers=racer.headers))

    statuses = sorted(r.status_code for r in replies)
    assert statuses == [201] * CAP + [429] * 3, [r.text for r in replies]
    assert {r.json()["code"] for r in replies if r.status_code == 429} == {"QSE_010"}
    assert len(await listed(http, racer)) == CAP


async def test_the_same_key_with_a_different_body_is_a_conflict_and_creates_nothing(
    http: httpx.AsyncClient, racer: Racer
) -> None:
    headers = {**racer.headers, "Idempotency-Key": "reused-key"}
    first = await http.post("/api/question-set", json=body(racer, 3), headers=headers)
    other = await http.post("/api/question-set", json=body(racer, 4), headers=headers)
    again = await http.post("/api/question-set", json=body(racer, 3), headers=headers)

    assert first.status_code == 201
    assert other.status_code == 409
    assert other.headers["content-type"].startswith("application/problem+json")
    assert other.json()["code"] == "COMMON_008"
    assert (again.status_code, again.headers["location"]) == (201, first.headers["location"])
    assert len(await listed(http, racer)) == 1
