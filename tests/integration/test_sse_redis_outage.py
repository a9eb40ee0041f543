"""Redis goes away and comes back: events still reach clients, none is lost or repeated.

Uses a private redis-server that the test stops and starts; the machine's shared Redis is never touched.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.live_server import LiveServer, ThrowawayRedis
from tests.support.notifications import Database
from tests.support.polling import eventually
from tests.support.sse_client import SseClient

pytestmark = [pytest.mark.mariadb]

SUBSCRIBE = "/api/notifications/subscribe"


@pytest.fixture
def cluster(tmp_path: Path, mariadb_url: str) -> Iterator[tuple[ThrowawayRedis, LiveServer, LiveServer]]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install -y redis-server)")
    with ThrowawayRedis(tmp_path / "redis") as redis:
        common = {
            "PULLIT_DATABASE_URL": mariadb_url,
            "PULLIT_REDIS_URL": redis.url,
            "PULLIT_OUTBOX_POLL_SECONDS": "0.2",
            "PULLIT_SSE_HEARTBEAT_SECONDS": "5",
            "PULLIT_RUN_WORKER": "false",  # the shared test database holds other tests' jobs
        }
        a = LiveServer({**common, "PULLIT_DATA_DIR": str(tmp_path / "a")})
        b = LiveServer({**common, "PULLIT_DATA_DIR": str(tmp_path / "b")})
        with a, b:
            yield redis, a, b


def question_set_of(data: str | None) -> int:
    return int(json.loads(data or "")["questionSetId"])


async def wait_until_published(mariadb_learners: Database, member_id: int, within: float = 15.0) -> None:
    async def all_published() -> bool:
        async with mariadb_learners.uow() as uow:
            pending = [e for e in await uow.notifications.unpublished(10_000) if e.event.member_id == member_id]
        return not pending

    await eventually(all_published, within, "every event of the member to be published")


async def test_while_redis_is_down_events_still_reach_clients_and_nothing_is_lost_or_repeated(
    cluster: tuple[ThrowawayRedis, LiveServer, LiveServer], mariadb_learners: Database
) -> None:
    redis, a, b = cluster
    learner = await mariadb_learners.new_learner()
    async with (
        SseClient.connect(a.url + SUBSCRIBE, headers=learner.headers) as on_a,
        SseClient.connect(b.url + SUBSCRIBE, headers=learner.headers) as on_b,
    ):
        await on_a.next_event()
        await on_b.next_event()
        await mariadb_learners.complete_question_set(learner.member_id, 1)
        assert [(await s.next_event(within=15)).id for s in (on_a, on_b)] == ["1", "1"]

        async with httpx.AsyncClient(timeout=10) as http:
            ready_before = await http.get(a.url + "/api/health/ready")
            redis.stop()
            ready_during = await http.get(a.url + "/api/health/ready")
        await mariadb_learners.complete_question_set(learner.member_id, 2)
        during = [await s.next_event(within=15) for s in (on_a, on_b)]

        # A client that (re)connects during the outage replays from the durable log.
        headers = {**learner.headers, "Last-Event-ID": "0"}
        async with SseClient.connect(b.url + SUBSCRIBE, headers=headers) as late:
            replayed = await late.events(4, within=15)

        redis.start()
        await mariadb_learners.complete_question_set(learner.member_id, 3)
        after = [await s.next_event(within=20) for s in (on_a, on_b)]
        await mariadb_learners.complete_question_set(learner.member_id, 4)
        last = [await s.next_event(within=20) for s in (on_a, on_b)]

    broker = [[c for c in r.json()["checks"] if c["name"] == "broker"] for r in (ready_before, ready_during)]
    assert [(r.status_code, b[0]["ok"]) for r, b in zip((ready_before, ready_during), broker, strict=True)] == [
        (200, True),
        (503, False),
    ]
    assert [(m.id, question_set_of(m.data)) for m in during] == [("2", 2), ("2", 2)]
    assert [m.event for m in replayed[:2]] == ["handShakeComplete", "reconnection"]
    assert [m.id for m in replayed[2:]] == ["1", "2"]
    # Repeats published once Redis is back are dropped: each stream goes on with the next id.
    assert [(m.id, question_set_of(m.data)) for m in after] == [("3", 3), ("3", 3)]
    assert [m.id for m in last] == ["4", "4"]
    await wait_until_published(mariadb_learners, learner.member_id)
