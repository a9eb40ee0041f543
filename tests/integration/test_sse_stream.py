"""The SSE endpoint against a live single instance (SQLite, in-process fan-out)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.database import migrated_sqlite
from tests.support.live_server import LiveServer
from tests.support.notifications import Database, database
from tests.support.sse_client import SseClient

SUBSCRIBE = "/api/notifications/subscribe"


@pytest.fixture(scope="module")
def sse_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of this module's own, so the live server's writes never meet other tests'."""
    return migrated_sqlite(tmp_path_factory.mktemp("sse-db") / "pullit.db")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, sse_database_url: str) -> Iterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("sse-single")
    environ = {
        "PULLIT_DATABASE_URL": sse_database_url,
        "PULLIT_RUN_WORKER": "false",
        "PULLIT_DATA_DIR": str(data_dir),
        "PULLIT_OUTBOX_POLL_SECONDS": "0.2",
        "PULLIT_SSE_HEARTBEAT_SECONDS": "0.5",
    }
    with LiveServer(environ) as live:
        yield live


@pytest.fixture
async def stream_db(sse_database_url: str) -> AsyncIterator[Database]:
    async with database(sse_database_url) as handle:
        yield handle


async def test_handshake_then_completion_events_for_success_and_failure(
    server: LiveServer, stream_db: Database
) -> None:
    learner = await stream_db.new_learner()
    await stream_db.complete_question_set(learner.member_id, 7)
    await stream_db.complete_question_set(learner.member_id, 8)

    async with SseClient.connect(server.url + SUBSCRIBE, headers=learner.headers) as stream:
        assert stream.response.status_code == 200
        assert stream.response.headers["content-type"].startswith("text/event-stream")
        hello = await stream.next_event()
        assert (hello.event, hello.id) == ("handShakeComplete", "2")
        assert hello.data

        await stream_db.complete_question_set(learner.member_id, 9)
        await stream_db.complete_question_set(learner.member_id, 10, success=False)
        done, failed = await stream.events(2)

    assert (done.event, done.id) == ("questionSetCreationComplete", "3")
    assert json.loads(done.data or "") == {
        "success": True,
        "questionSetId": 9,
        "message": "The question set is ready.",
        "status": "COMPLETE",
    }
    assert (failed.event, failed.id) == ("questionSetCreationComplete", "4")
    assert json.loads(failed.data or "") == {
        "success": False,
        "questionSetId": 10,
        "message": "The generator gave up.",
        "status": "FAILED",
    }


@pytest.mark.parametrize("how", ["header", "query"])
async def test_a_reconnect_gets_every_missed_event_once_in_order(
    server: LiveServer, stream_db: Database, how: str
) -> None:
    learner = await stream_db.new_learner()
    async with SseClient.connect(server.url + SUBSCRIBE, headers=learner.headers) as stream:
        assert (await stream.next_event()).id == "0"
        await stream_db.complete_question_set(learner.member_id, 1)
        assert (await stream.next_event()).id == "1"

    for question_set_id in (2, 3, 4):
        await stream_db.complete_question_set(learner.member_id, question_set_id)

    url, headers = server.url + SUBSCRIBE, dict(learner.headers)
    if how == "header":
        headers["Last-Event-ID"] = "1"
    else:
        url += "?lastEventId=1"
    async with SseClient.connect(url, headers=headers) as stream:
        hello, again, *missed = await stream.events(5)
        await stream_db.complete_question_set(learner.member_id, 5)
        live = await stream.next_event()

    assert (hello.event, hello.id) == ("handShakeComplete", "1")
    assert again.event == "reconnection"
    assert [(m.event, m.id) for m in missed] == [("questionSetCreationComplete", i) for i in ("2", "3", "4")]
    assert [json.loads(m.data or "")["questionSetId"] for m in missed] == [2, 3, 4]
    # Nothing is sent twice: the next event after the backlog is the new one.
    assert (live.id, json.loads(live.data or "")["questionSetId"]) == ("5", 5)


async def test_the_header_wins_over_the_query_as_browsers_resend_it(server: LiveServer, stream_db: Database) -> None:
    learner = await stream_db.new_learner()
    for question_set_id in (1, 2, 3):
        await stream_db.complete_question_set(learner.member_id, question_set_id)
    headers = {**learner.headers, "Last-Event-ID": "2"}
    async with SseClient.connect(server.url + SUBSCRIBE + "?lastEventId=0", headers=headers) as stream:
        _, _, only = await stream.events(3)
    assert only.id == "3"


async def test_every_tab_of_a_member_hears_each_event_and_other_members_hear_nothing(
    server: LiveServer, stream_db: Database
) -> None:
    alice, bob = await stream_db.new_learner(), await stream_db.new_learner()
    url = server.url + SUBSCRIBE
    async with (
        SseClient.connect(url, headers=alice.headers) as tab1,
        SseClient.connect(url, headers=alice.headers) as tab2,
        SseClient.connect(url, headers=bob.headers) as other,
    ):
        for stream in (tab1, tab2, other):
            assert (await stream.next_event()).event == "handShakeComplete"
        await stream_db.complete_question_set(alice.member_id, 11)
        await stream_db.complete_question_set(bob.member_id, 12)
        seen1, seen2, seen_other = await tab1.next_event(), await tab2.next_event(), await other.next_event()

    assert [(s.id, json.loads(s.data or "")["questionSetId"]) for s in (seen1, seen2)] == [("1", 11), ("1", 11)]
    assert (seen_other.id, json.loads(seen_other.data or "")["questionSetId"]) == ("1", 12)


async def test_a_quiet_stream_carries_ping_comments(server: LiveServer, stream_db: Database) -> None:
    learner = await stream_db.new_learner()
    async with SseClient.connect(server.url + SUBSCRIBE, headers=learner.headers) as stream:
        await stream.next_event()
        ping = await stream.next_message(within=5)
    assert ping.comment == "ping"
    assert ping.event is None


async def test_the_access_token_cookie_is_accepted_in_place_of_the_header(
    server: LiveServer, stream_db: Database
) -> None:
    learner = await stream_db.new_learner()
    async with SseClient.connect(server.url + SUBSCRIBE, cookies={"access_token": learner.access_token}) as stream:
        assert stream.response.status_code == 200
        assert (await stream.next_event()).event == "handShakeComplete"
        await stream_db.complete_question_set(learner.member_id, 21)
        assert json.loads((await stream.next_event()).data or "")["questionSetId"] == 21


async def test_an_id_beyond_the_log_restarts_from_the_latest_instead_of_hiding_new_events(
    server: LiveServer, stream_db: Database
) -> None:
    learner = await stream_db.new_learner()
    await stream_db.complete_question_set(learner.member_id, 1)
    headers = {**learner.headers, "Last-Event-ID": "999"}
    async with SseClient.connect(server.url + SUBSCRIBE, headers=headers) as stream:
        hello, _ = await stream.events(2)
        await stream_db.complete_question_set(learner.member_id, 2)
        live = await stream.next_event()
    assert hello.id == "1"
    assert live.id == "2"


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "AUTH001"),
        ({"Authorization": "Bearer not-a-token"}, 401, "TOKEN_002"),
        ({"Cookie": "access_token=garbage"}, 401, "TOKEN_002"),
    ],
)
def test_without_a_valid_token_the_stream_is_refused(
    server: LiveServer, headers: dict[str, str], status: int, code: str
) -> None:
    response = httpx.get(server.url + SUBSCRIBE, headers=headers, timeout=5)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


async def test_a_malformed_last_event_id_is_a_clear_400(server: LiveServer, stream_db: Database) -> None:
    learner = await stream_db.new_learner()
    async with httpx.AsyncClient(timeout=5) as http:
        bad_header = await http.get(server.url + SUBSCRIBE, headers={**learner.headers, "Last-Event-ID": "abc"})
        bad_query = await http.get(server.url + SUBSCRIBE + "?lastEventId=-3", headers=learner.headers)
    assert (bad_header.status_code, bad_header.json()["code"]) == (400, "COMMON_001")
    assert (bad_query.status_code, bad_query.json()["code"]) == (400, "COMMON_001")
