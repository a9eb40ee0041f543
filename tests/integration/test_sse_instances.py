"""Several instances on one MariaDB and one Redis: events cross instances and survive restarts."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.support.live_server import LiveServer
from tests.support.notifications import Database
from tests.support.services import redis_url
from tests.support.sse_client import SseClient, SseClosed

pytestmark = [pytest.mark.mariadb, pytest.mark.redis]

SUBSCRIBE = "/api/notifications/subscribe"


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory, mariadb_url: str) -> Iterator[tuple[LiveServer, LiveServer]]:
    common = {
        "PULLIT_DATABASE_URL": mariadb_url,
        "PULLIT_REDIS_URL": redis_url(),
        # Other test runs share this Redis: a channel of our own keeps their events out.
        "PULLIT_REDIS_CHANNEL": f"pullit-test:{uuid.uuid4().hex}",
        "PULLIT_SSE_HEARTBEAT_SECONDS": "5",
        "PULLIT_RUN_WORKER": "false",  # the shared test database holds other tests' jobs
    }
    # A never polls the outbox, so what its clients hear must have come through Redis from B.
    a_dir, b_dir = str(tmp_path_factory.mktemp("a")), str(tmp_path_factory.mktemp("b"))
    a = LiveServer({**common, "PULLIT_OUTBOX_POLL_SECONDS": "3600", "PULLIT_DATA_DIR": a_dir})
    b = LiveServer({**common, "PULLIT_OUTBOX_POLL_SECONDS": "0.2", "PULLIT_DATA_DIR": b_dir})
    with a, b:
        yield a, b


def question_set_of(data: str | None) -> int:
    return int(json.loads(data or "")["questionSetId"])


async def test_an_event_committed_by_another_process_reaches_a_subscriber_on_instance_a(
    instances: tuple[LiveServer, LiveServer], mariadb_learners: Database
) -> None:
    a, _ = instances
    learner = await mariadb_learners.new_learner()
    async with SseClient.connect(a.url + SUBSCRIBE, headers=learner.headers) as stream:
        assert (await stream.next_event()).event == "handShakeComplete"
        await mariadb_learners.complete_question_set(learner.member_id, 31)
        event = await stream.next_event(within=15)
    assert (event.event, event.id, question_set_of(event.data)) == ("questionSetCreationComplete", "1", 31)


async def test_tabs_on_different_instances_each_hear_every_event_once(
    instances: tuple[LiveServer, LiveServer], mariadb_learners: Database
) -> None:
    a, b = instances
    learner = await mariadb_learners.new_learner()
    async with (
        SseClient.connect(a.url + SUBSCRIBE, headers=learner.headers) as on_a,
        SseClient.connect(b.url + SUBSCRIBE, headers=learner.headers) as on_b,
    ):
        await on_a.next_event()
        await on_b.next_event()
        for question_set_id in (1, 2):
            await mariadb_learners.complete_question_set(learner.member_id, question_set_id)
        first_a, first_b = await on_a.events(2, within=15), await on_b.events(2, within=15)
        await mariadb_learners.complete_question_set(learner.member_id, 3)
        then_a, then_b = await on_a.next_event(within=15), await on_b.next_event(within=15)

    for seen in (first_a, first_b):
        assert [(m.id, question_set_of(m.data)) for m in seen] == [("1", 1), ("2", 2)]
    assert [(m.id, question_set_of(m.data)) for m in (then_a, then_b)] == [("3", 3), ("3", 3)]


async def test_after_its_instance_restarts_a_client_gets_exactly_what_it_missed(
    instances: tuple[LiveServer, LiveServer], mariadb_learners: Database
) -> None:
    a, _ = instances
    learner = await mariadb_learners.new_learner()
    async with SseClient.connect(a.url + SUBSCRIBE, headers=learner.headers) as stream:
        await stream.next_event()
        await mariadb_learners.complete_question_set(learner.member_id, 1)
        assert (await stream.next_event(within=15)).id == "1"

        a.stop()
        with pytest.raises((SseClosed, httpx.HTTPError)):
            await stream.next_event(within=15)
        last_seen = stream.last_event_id
    for question_set_id in (2, 3):
        await mariadb_learners.complete_question_set(learner.member_id, question_set_id)
    a.start()

    headers = {**learner.headers, "Last-Event-ID": last_seen or ""}
    async with SseClient.connect(a.url + SUBSCRIBE, headers=headers) as stream:
        hello, again, *missed = await stream.events(4, within=15)
        await mariadb_learners.complete_question_set(learner.member_id, 4)
        live = await stream.next_event(within=15)

    assert last_seen == "1"
    assert (hello.event, hello.id, again.event) == ("handShakeComplete", "1", "reconnection")
    assert [(m.id, question_set_of(m.data)) for m in missed] == [("2", 2), ("3", 3)]
    assert (live.id, question_set_of(live.data)) == ("4", 4)
