"""Through Debian's nginx (configured as docs/deploy.md says) in front of two instances.

Skipped when nginx is not installed, except under CI=true where it must be
(.ci/run installs it: apt-get install -y nginx-light).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pullit_adapters.clock import SystemClock
from pullit_adapters.notifier_redis import RedisNotifier
from pullit_adapters.outbox import OutboxRelay
from tests.support.live_server import LiveServer, Nginx
from tests.support.notifications import Database
from tests.support.services import redis_url
from tests.support.sse_client import SseClient

pytestmark = [pytest.mark.mariadb, pytest.mark.redis]

SUBSCRIBE = "/api/notifications/subscribe"


@pytest.fixture(scope="module")
def channel() -> str:
    return f"pullit-test:{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory, mariadb_url: str, channel: str) -> Iterator[Nginx]:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("nginx is not installed (under CI it must be: apt-get install -y nginx-light)")
        pytest.skip("nginx is not installed (apt-get install -y nginx-light)")
    common = {
        "PULLIT_DATABASE_URL": mariadb_url,
        "PULLIT_REDIS_URL": redis_url(),
        "PULLIT_REDIS_CHANNEL": channel,
        "PULLIT_SSE_HEARTBEAT_SECONDS": "1",
        "PULLIT_RUN_WORKER": "false",  # the shared test database holds other tests' jobs
        # Neither instance relays the outbox: events come from the "worker" below, through Redis.
        "PULLIT_OUTBOX_POLL_SECONDS": "3600",
    }
    root = tmp_path_factory.mktemp("nginx-cluster")
    a = LiveServer({**common, "PULLIT_DATA_DIR": str(root / "a")})
    b = LiveServer({**common, "PULLIT_DATA_DIR": str(root / "b")})
    with a, b, Nginx(root / "nginx", [a.port, b.port]) as nginx:
        yield nginx


async def test_an_event_from_a_worker_process_reaches_every_tab_through_nginx(
    proxy: Nginx, mariadb_learners: Database, channel: str
) -> None:
    learner = await mariadb_learners.new_learner()
    worker_notifier = RedisNotifier(redis_url(), channel)
    worker_relay = OutboxRelay(mariadb_learners.uow, worker_notifier, SystemClock())
    try:
        # Round robin puts consecutive connections on different instances.
        async with (
            SseClient.connect(proxy.url + SUBSCRIBE, headers=learner.headers) as tab1,
            SseClient.connect(proxy.url + SUBSCRIBE, headers=learner.headers) as tab2,
        ):
            assert tab1.response.headers["content-type"].startswith("text/event-stream")
            hellos = [await tab.next_event(within=10) for tab in (tab1, tab2)]
            await mariadb_learners.complete_question_set(learner.member_id, 77)
            assert await worker_relay.relay_once() >= 1
            events = [await tab.next_event(within=15) for tab in (tab1, tab2)]
            # Unbuffered: the heartbeat comment itself comes through on a quiet stream.
            ping = await tab1.next_message(within=10)
    finally:
        await worker_notifier.stop()

    assert [h.event for h in hellos] == ["handShakeComplete", "handShakeComplete"]
    assert [(e.event, e.id, json.loads(e.data or "")["questionSetId"]) for e in events] == [
        ("questionSetCreationComplete", "1", 77),
        ("questionSetCreationComplete", "1", 77),
    ]
    assert ping.comment == "ping"
