"""A learner hears about their question set in their own language, over a live server's SSE stream.

No request is there when the worker settles a set, so the member's remembered language
(``PUT /api/members/me/settings``) decides; it starts as the sign-in request's language.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from pullit_adapters.clock import SystemClock
from pullit_adapters.tokens import JwtAccessTokens
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.use_cases.members import SignUpMember
from tests.support.app import TEST_SECRET
from tests.support.database import migrated_sqlite
from tests.support.live_server import LiveServer
from tests.support.notifications import Database, Learner, database
from tests.support.sse_client import SseClient
from tests.support.uploads import ready_source

SUBSCRIBE = "/api/notifications/subscribe"


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return migrated_sqlite(tmp_path_factory.mktemp("languages-db") / "pullit.db")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[LiveServer]:
    environ = {
        "PULLIT_DATABASE_URL": database_url,
        "PULLIT_DATA_DIR": str(tmp_path_factory.mktemp("languages")),
        "PULLIT_OUTBOX_POLL_SECONDS": "0.2",
        "PULLIT_WORKER_POLL_SECONDS": "0.2",
    }
    with LiveServer(environ) as live:
        yield live


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with database(database_url) as handle:
        yield handle


@pytest.fixture
async def http(server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        yield client


async def sign_up(db: Database, language: str | None) -> Learner:
    """A member with folders, as the sign-in callback makes one (``language`` from its Accept-Language)."""
    subject = uuid.uuid4().hex
    identity = ExternalIdentity("test", subject, "Learner", f"{subject}@example.test")
    member = (await SignUpMember(db.uow, SystemClock())(identity, language)).member
    assert member.id is not None
    return Learner(member.id, JwtAccessTokens(secret=TEST_SECRET, clock=SystemClock()).issue(member.id, member.role))


async def choose_language(http: httpx.AsyncClient, learner: Learner, language: str) -> None:
    changed = await http.put("/api/members/me/settings", json={"language": language}, headers=learner.headers)
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"language": language}


async def completion_heard(
    server: LiveServer, http: httpx.AsyncClient, learner: Learner, fixtures_dir: Path
) -> dict[str, object]:
    source = await ready_source(http, learner, fixtures_dir / "photosynthesis.pdf")  # type: ignore[arg-type]
    async with SseClient.connect(server.url + SUBSCRIBE, headers=learner.headers) as stream:
        assert (await stream.next_event()).event == "handShakeComplete"
        body = {"sourceIds": [source], "type": "SHORT_ANSWER", "difficulty": "EASY", "questionCount": 2}
        # The browser that asks is English: the event still follows the member's own language.
        asked = await http.post("/api/question-set", json=body, headers={**learner.headers, "Accept-Language": "en"})
        assert asked.status_code == 201, asked.text
        event = await stream.next_event(within=30)
    assert event.event == "questionSetCreationComplete"
    data: dict[str, object] = json.loads(event.data or "")
    return data


async def test_a_korean_member_hears_korean_and_an_english_member_english(
    server: LiveServer, http: httpx.AsyncClient, db: Database, fixtures_dir: Path
) -> None:
    korean, english = await sign_up(db, "ko"), await sign_up(db, None)
    await choose_language(http, english, "en")

    heard_in_korean = await completion_heard(server, http, korean, fixtures_dir)
    heard_in_english = await completion_heard(server, http, english, fixtures_dir)

    assert (heard_in_korean["success"], heard_in_korean["message"]) == (
        True,
        "'photosynthesis' 문제 세트가 준비되었습니다.",
    )
    assert (heard_in_english["success"], heard_in_english["message"]) == (True, "'photosynthesis' is ready.")


async def test_a_member_without_a_choice_hears_the_default_language(
    server: LiveServer, http: httpx.AsyncClient, db: Database
) -> None:
    learner = await db.new_learner()

    settings = await http.get("/api/members/me/settings", headers=learner.headers)

    assert settings.json() == {"language": "ko"}  # PULLIT_DEFAULT_LANGUAGE


async def test_an_unsupported_language_is_refused_in_the_requests_language(
    http: httpx.AsyncClient, db: Database
) -> None:
    learner = await db.new_learner()

    refused = await http.put(
        "/api/members/me/settings",
        json={"language": "fr"},
        headers={**learner.headers, "Accept-Language": "ko-KR,ko;q=0.9,en;q=0.8"},
    )

    assert refused.status_code == 400
    problem = refused.json()
    assert (problem["code"], problem["type"], problem["status"]) == ("COMMON_001", "urn:pullit:problem:COMMON_001", 400)
    assert (problem["title"], problem["detail"]) == ("잘못된 요청", "language는 다음 중 하나여야 합니다: ko, en")
    assert refused.headers["content-language"] == "ko"
    assert (await http.get("/api/members/me/settings", headers=learner.headers)).json() == {"language": "ko"}


async def test_the_streams_own_greeting_follows_the_browsers_language(server: LiveServer, db: Database) -> None:
    learner = await sign_up(db, "ko")
    greetings = {}
    for header in ("en-US,en;q=0.9", "ko-KR,ko;q=0.9,en;q=0.8"):
        headers = {**learner.headers, "Accept-Language": header}
        async with SseClient.connect(server.url + SUBSCRIBE, headers=headers) as stream:
            hello = await stream.next_event()
        greetings[header[:2]] = (hello.event, hello.data)

    assert greetings["en"] == ("handShakeComplete", f"EventStream Created. [memberId={learner.member_id}]")
    assert greetings["ko"] == ("handShakeComplete", f"알림 스트림이 연결되었습니다. [memberId={learner.member_id}]")
