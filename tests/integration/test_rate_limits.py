"""Per-minute budgets on sign-in, upload permits and set creation, with the ``RateLimit-*`` headers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import redis
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pullit_web.bootstrap.app import create_app
from pullit_web.http.rate_counters import RedisRateCounter
from pullit_web.settings import Settings, SettingsError
from tests.support.app import make_settings
from tests.support.browser import FRONTEND, app_client, query_of
from tests.support.database import migrated_sqlite
from tests.support.live_server import LiveServer, free_port
from tests.support.members import SignedIn, sign_in
from tests.support.services import redis_url
from tests.support.uploads import Client, ready_source

UPLOAD = "/api/learning/source/upload"
PERMIT = {"fileName": "notes.pdf", "contentType": "application/pdf", "fileSize": 1234}


def limited(tmp_path: Path, database_url: str, **overrides: str) -> Settings:
    return make_settings(
        tmp_path,
        database_url=database_url,
        rate_limit_sign_in_per_minute="3",
        rate_limit_upload_permits_per_minute="3",
        rate_limit_question_sets_per_minute="2",
        **overrides,
    )


@pytest.fixture
def own_url(tmp_path: Path) -> str:
    """A database of this test's own: the PENDING sets made here must not reach other tests' workers."""
    return migrated_sqlite(tmp_path / "own.db")


@pytest.fixture
def settings(tmp_path: Path, own_url: str) -> Settings:
    return limited(tmp_path, own_url)


async def permit(client: Client, who: SignedIn) -> httpx.Response:
    return await client.post(UPLOAD, json=PERMIT, headers=who.headers)


def assert_too_many(response: httpx.Response, limit: int) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "COMMON_005"
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.headers["ratelimit-limit"] == str(limit)
    assert response.headers["ratelimit-remaining"] == "0"


async def test_upload_permits_count_down_then_answer_429_with_retry_after(app: Litestar, client: Client) -> None:
    learner = await sign_in(app)

    answers = [await permit(client, learner) for _ in range(3)]

    assert [r.status_code for r in answers] == [200, 200, 200]
    assert [r.headers["ratelimit-remaining"] for r in answers] == ["2", "1", "0"]
    assert {r.headers["ratelimit-limit"] for r in answers} == {"3"}
    assert {r.headers["ratelimit-policy"] for r in answers} == {"3;w=60"}
    assert all(1 <= int(r.headers["ratelimit-reset"]) <= 60 for r in answers)
    assert_too_many(await permit(client, learner), limit=3)


async def test_one_members_spent_budget_leaves_other_members_and_budgets_alone(
    app: Litestar, client: Client, fixtures_dir: Path
) -> None:
    spender, other = await sign_in(app, "Spender"), await sign_in(app, "Other")
    # Set creation needs a READY source; preparing it spends one upload permit.
    source = await ready_source(client, spender, fixtures_dir / "photosynthesis.pdf")
    for _ in range(2):
        assert (await permit(client, spender)).status_code == 200
    assert (await permit(client, spender)).status_code == 429

    fresh = await permit(client, other)
    assert fresh.status_code == 200
    assert fresh.headers["ratelimit-remaining"] == "2"
    body = {"sourceIds": [source], "type": "TRUE_FALSE", "difficulty": "EASY", "questionCount": 2}
    created = await client.post("/api/question-set", json=body, headers=spender.headers)
    assert created.status_code == 201, created.text
    assert created.headers["ratelimit-remaining"] == "1"


async def test_question_set_creation_is_limited_per_member(app: Litestar, client: Client, fixtures_dir: Path) -> None:
    learner = await sign_in(app)
    source = await ready_source(client, learner, fixtures_dir / "photosynthesis.pdf")
    body = {"sourceIds": [source], "type": "MULTIPLE_CHOICE", "difficulty": "EASY", "questionCount": 3}

    answers = [await client.post("/api/question-set", json=body, headers=learner.headers) for _ in range(3)]

    assert [r.status_code for r in answers[:2]] == [201, 201]
    assert_too_many(answers[2], limit=2)
    listed = await client.get("/api/question-set/all", headers=learner.headers)
    assert len(listed.json()) == 2, "the refused request created nothing"


async def test_unlimited_routes_and_unauthenticated_calls_carry_no_budget(app: Litestar, client: Client) -> None:
    learner = await sign_in(app)

    listing = await client.get("/api/learning/source", headers=learner.headers)
    assert listing.status_code == 200
    assert "ratelimit-limit" not in listing.headers
    for _ in range(4):
        anonymous = await client.post(UPLOAD, json=PERMIT, headers={"Authorization": "Bearer not-a-token"})
        assert anonymous.status_code == 401, "a bad token is the route's own 401, not a spent budget"
    assert (await permit(client, learner)).headers["ratelimit-remaining"] == "2"


async def test_sign_in_is_limited_per_client_address_across_its_routes(app: Litestar) -> None:
    async with app_client(app) as browser:
        start = await browser.get("/oauth2/authorization/local", params={"redirect_uri": f"{FRONTEND}/login-success"})
        assert start.status_code == 302
        assert start.headers["ratelimit-remaining"] == "2"
        form = query_of(start.headers["location"])
        fields = {k: form[k] for k in ("redirect_uri", "state", "code_challenge")}
        submitted = await browser.post(
            "/oauth2/local/authorize", data={"name": "A", "email": "a@example.test", **fields}
        )
        assert submitted.status_code == 302, submitted.text
        assert submitted.headers["ratelimit-remaining"] == "1"
        await browser.get("/oauth2/authorization/kakao", params={"redirect_uri": f"{FRONTEND}/login-success"})

        refused = await browser.get("/oauth2/authorization/kakao")
    assert_too_many(refused, limit=3)


def test_behind_a_proxy_each_forwarded_address_has_its_own_sign_in_budget(tmp_path: Path) -> None:
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 (its default FORWARDED_ALLOW_IPS), as from nginx.
    environ = {"PULLIT_DATA_DIR": str(tmp_path), "PULLIT_RATE_LIMIT_SIGN_IN_PER_MINUTE": "2"}
    with LiveServer(environ) as server, httpx.Client(base_url=server.url, follow_redirects=False) as browser:

        def start(address: str) -> httpx.Response:
            return browser.get("/oauth2/authorization/kakao", headers={"X-Forwarded-For": address})

        first = [start("203.0.113.7").status_code for _ in range(3)]
        second = start("203.0.113.8")
    assert first == [302, 302, 429]
    assert (second.status_code, second.headers["ratelimit-remaining"]) == (302, "1")


@pytest.fixture
async def two_instances(tmp_path: Path, own_url: str) -> AsyncIterator[tuple[Client, Client, Litestar]]:
    """Two apps on one database and one Redis, as two instances behind a load balancer."""
    url = redis_url()
    # Other test runs share this Redis: keys of our own keep their counts out.
    prefix = f"pullit-test:{uuid.uuid4().hex}"
    apps = [
        create_app(limited(tmp_path / name, own_url, redis_url=url, rate_limit_key_prefix=prefix))
        for name in ("a", "b")
    ]
    try:
        async with AsyncTestClient(app=apps[0]) as a, AsyncTestClient(app=apps[1]) as b:
            yield a, b, apps[0]
    finally:
        forget(prefix)


def forget(prefix: str) -> None:
    with redis.Redis.from_url(redis_url()) as shared:
        keys = list(shared.scan_iter(f"{prefix}:*"))
        if keys:
            shared.delete(*keys)


@pytest.mark.redis
async def test_with_redis_two_instances_share_one_budget(two_instances: tuple[Client, Client, Litestar]) -> None:
    a, b, app = two_instances
    learner, other = await sign_in(app), await sign_in(app)

    remaining = [(await permit(client, learner)).headers["ratelimit-remaining"] for client in (a, b, a)]

    assert remaining == ["2", "1", "0"]
    assert_too_many(await permit(b, learner), limit=3)
    assert (await permit(b, other)).headers["ratelimit-remaining"] == "2"


@pytest.mark.redis
async def test_with_redis_racing_instances_never_lose_a_hit() -> None:
    # Two counters, two connections, as two instances: interleaved hits must still count 1..N exactly once.
    prefix = f"pullit-test:{uuid.uuid4().hex}"
    counters = [RedisRateCounter(redis_url(), prefix) for _ in range(2)]
    try:
        windows = await asyncio.gather(*(counter.hit("upload-permits:member:1", 60) for counter in counters * 20))
    finally:
        for counter in counters:
            await counter.aclose()
        forget(prefix)

    assert sorted(window.hits for window in windows if window) == list(range(1, 41))


async def test_when_redis_is_down_requests_go_through_unlimited(tmp_path: Path, own_url: str) -> None:
    nobody_listens = f"redis://127.0.0.1:{free_port()}/0"
    app = create_app(limited(tmp_path, own_url, redis_url=nobody_listens))
    learner = await sign_in(app)
    async with AsyncTestClient(app=app) as client:
        answers = [await permit(client, learner) for _ in range(4)]
    assert [r.status_code for r in answers] == [200] * 4
    assert all("ratelimit-limit" not in r.headers for r in answers)


@pytest.mark.parametrize(
    ("name", "value"),
    [("RATE_LIMIT_QUESTION_SETS_PER_MINUTE", "-1"), ("MAX_REQUEST_BODY_KB", "0")],
)
def test_a_bad_limit_stops_the_service_at_start_naming_the_variable(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"PULLIT_{name}"):
        make_settings(tmp_path, **{name.lower(): value})
