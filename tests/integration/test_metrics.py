"""``/metrics``: Prometheus text with request latency by route and the domain metrics moving."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from prometheus_client import REGISTRY, generate_latest

from pullit_adapters.memory import InMemoryDatabase, ManualClock
from pullit_adapters.outbox import OutboxRelay
from pullit_domain.model.member import Member
from pullit_domain.model.notification import MemberEvent, QuestionSetCompletion
from pullit_domain.model.question import QuestionType
from pullit_domain.use_cases.notifications import RecordNotification
from pullit_web.bootstrap.container import Container
from pullit_web.settings import Settings
from tests.support import fake_gemini
from tests.support.app import TEST_SECRET, make_settings
from tests.support.database import migrated_sqlite
from tests.support.fake_gemini import API_KEY, FakeGemini, canned_questions
from tests.support.live_server import LiveServer, free_port, wait_until
from tests.support.members import sign_in
from tests.support.notifications import database
from tests.support.prometheus import Samples, parse, value
from tests.support.sse_client import SseClient
from tests.support.uploads import Client, ready_source


async def scrape(client: Client) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


@pytest.fixture
def gemini() -> Iterator[FakeGemini]:
    fake = FakeGemini().start()
    yield fake
    fake.close()


@pytest.fixture
def settings(tmp_path: Path, gemini: FakeGemini) -> Settings:
    """A database of this test's own (so its worker finds only its job) and Gemini faked locally."""
    url = migrated_sqlite(tmp_path / "own.db")
    return make_settings(
        tmp_path, database_url=url, gemini_api_key=API_KEY, gemini_base_url=gemini.base_url, gemini_model="gemini-m"
    )


async def test_requests_are_counted_by_route_template_without_ids(app: Litestar, client: Client) -> None:
    learner = await sign_in(app, "Metric")
    before = await scrape(client)
    for set_id in (987654, 987655):
        assert (await client.get(f"/api/question-set/{set_id}", headers=learner.headers)).status_code == 404
    await client.get("/api/health")

    after = await scrape(client)
    text = (await client.get("/metrics")).text
    route = {"app_name": "pullit", "method": "GET", "path": "/api/question-set/{set_id}", "status_code": "404"}
    assert (
        value(after, "pullit_http_requests_total", **route) - value(before, "pullit_http_requests_total", **route) == 2
    )
    assert value(after, "pullit_http_request_duration_seconds_count", **route) >= 2
    labels = {v for (name, pairs) in after if name.startswith("pullit_") for (_, v) in pairs}
    assert not {v for v in labels if "987654" in v or v == str(learner.member_id)}
    paths = {dict(pairs)["path"] for (name, pairs) in after if name.startswith("pullit_http_") and pairs}
    assert "/api/question-set/{set_id}" in paths
    assert not [p for p in paths if any(part.isdigit() for part in p.split("/"))]
    assert learner.access_token not in text


async def test_refusals_and_unknown_paths_are_counted_with_their_status(client: Client) -> None:
    before = await scrape(client)
    assert (await client.get("/api/question-set")).status_code == 401
    for path in ("/no/such/page", "/another/1234"):
        assert (await client.get(path)).status_code == 404

    after = await scrape(client)
    refused = {"app_name": "pullit", "method": "GET", "path": "/api/question-set", "status_code": "401"}
    unknown = {"app_name": "pullit", "method": "GET", "path": "<unmatched>", "status_code": "404"}
    assert (
        value(after, "pullit_http_requests_total", **refused) - value(before, "pullit_http_requests_total", **refused)
        == 1
    )
    assert (
        value(after, "pullit_http_requests_total", **unknown) - value(before, "pullit_http_requests_total", **unknown)
        == 2
    )
    ok = {**refused, "status_code": "200"}
    assert value(after, "pullit_http_requests_total", **ok) == value(before, "pullit_http_requests_total", **ok)


async def test_a_generation_run_counts_its_outcome_latency_and_tokens(
    app: Litestar, client: Client, gemini: FakeGemini, fixtures_dir: Path
) -> None:
    learner = await sign_in(app, "Generator")
    source = await ready_source(client, learner, fixtures_dir / "photosynthesis.pdf")
    first = canned_questions(QuestionType.MULTIPLE_CHOICE, 3)
    first["questions"][1]["quote"] = "Photosynthesis was discovered on the Moon."
    again = canned_questions(QuestionType.MULTIPLE_CHOICE, 1, title="again")
    again["questions"][0]["question"] = "Another question?"
    gemini.script(
        fake_gemini.ok(first, prompt_tokens=1000, output_tokens=300),
        fake_gemini.ok(again, prompt_tokens=500, output_tokens=21),
    )
    before = await scrape(client)

    body = {"sourceIds": [source], "type": "MULTIPLE_CHOICE", "difficulty": "EASY", "questionCount": 3}
    assert (await client.post("/api/question-set", json=body, headers=learner.headers)).status_code == 201
    worker = Container(settings=app.state.settings)
    try:
        assert await worker.generation_worker().run_once()
    finally:
        await worker.engine().dispose()
        await worker.llm().aclose()

    after = await scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("pullit_generation_jobs_total", outcome="COMPLETE") == 1
    assert moved("pullit_generation_jobs_total", outcome="FAILED") == 0
    assert moved("pullit_llm_tokens_total", direction="input") == 1500
    assert moved("pullit_llm_tokens_total", direction="output") == 321
    assert moved("pullit_llm_request_duration_seconds_count", operation="generate", outcome="ok") == 2
    assert moved("pullit_questions_written_total", writer="gemini") == 4
    assert moved("pullit_questions_grounded_total", writer="gemini") == 3
    assert moved("pullit_questions_rejected_total", writer="gemini", reason="quote_not_found") == 1
    assert moved("pullit_questions_reasked_total", writer="gemini") == 1
    assert moved("pullit_http_requests_total", app_name="pullit", method="POST", path="/api/question-set",
                 status_code="201") == 1  # fmt: skip


def registry_gauge(name: str) -> float:
    return value(parse(generate_latest(REGISTRY).decode()), name)


async def test_the_outbox_lag_grows_while_the_broker_is_away_and_clears_once_delivered() -> None:
    class Flaky:
        working = False

        async def publish_batch(self, events: Sequence[MemberEvent]) -> None:
            if not self.working:
                raise ConnectionError("broker away")

    written = datetime(2026, 3, 1, tzinfo=UTC)
    db = InMemoryDatabase()
    member = Member("L", "lag@x.test", "test", uuid.uuid4().hex, written)
    async with db.unit_of_work() as uow:
        await uow.members.add(member)
        assert member.id is not None
        await RecordNotification(ManualClock(written))(uow, member.id, QuestionSetCompletion.complete(1))
        await uow.commit()
    publisher = Flaky()
    relay = OutboxRelay(db.unit_of_work, publisher, ManualClock(written + timedelta(seconds=42)))

    with pytest.raises(ConnectionError):
        await relay.relay_once()
    assert (registry_gauge("pullit_outbox_lag_seconds"), registry_gauge("pullit_outbox_unpublished")) == (42, 1)

    publisher.working = True
    assert await relay.relay_once() == 1
    assert await relay.relay_once() == 0
    assert (registry_gauge("pullit_outbox_lag_seconds"), registry_gauge("pullit_outbox_unpublished")) == (0, 0)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    data_dir = tmp_path_factory.mktemp("metrics-live")
    url = migrated_sqlite(data_dir / "pullit.db")
    environ = {"PULLIT_DATABASE_URL": url, "PULLIT_RUN_WORKER": "false", "PULLIT_DATA_DIR": str(data_dir)}
    with LiveServer(environ) as server:
        yield server, url


def live_gauge(server: LiveServer, name: str) -> float:
    return value(parse(httpx.get(f"{server.url}/metrics", timeout=5).text), name)


async def test_open_event_streams_are_gauged_and_released_on_disconnect(live: tuple[LiveServer, str]) -> None:
    server, url = live
    async with database(url) as db:
        learner = await db.new_learner()
    baseline = live_gauge(server, "pullit_sse_connections")

    async with SseClient.connect(f"{server.url}/api/notifications/subscribe", headers=learner.headers) as stream:
        assert (await stream.next_event()).event == "handShakeComplete"
        assert live_gauge(server, "pullit_sse_connections") == baseline + 1

    wait_until(lambda: live_gauge(server, "pullit_sse_connections") == baseline, 10, "the stream to be released")


def test_a_separate_worker_process_serves_its_own_metrics(tmp_path: Path) -> None:
    url = migrated_sqlite(tmp_path / "worker.db")
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PULLIT_")}
    environ |= {
        "PULLIT_DATABASE_URL": url,
        "PULLIT_DATA_DIR": str(tmp_path),
        "PULLIT_SECRET_KEY": TEST_SECRET,
        "PULLIT_ENV_FILE": "/nonexistent/.env",
        "PULLIT_WORKER_METRICS_PORT": str(port),
    }
    pullit = str(Path(sys.executable).with_name("pullit"))
    with (tmp_path / "worker.log").open("wb") as log:
        process = subprocess.Popen([pullit, "worker"], env=environ, stdout=log, stderr=log)
    try:

        def scraped() -> str:
            if process.poll() is not None:
                raise RuntimeError((tmp_path / "worker.log").read_text())
            try:
                return httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=1).text
            except httpx.TransportError:
                return ""

        wait_until(lambda: "pullit_generation_jobs_total" in scraped(), 30, "the worker's metrics")
        samples = parse(scraped())
        assert ("pullit_generation_jobs_total", (("outcome", "COMPLETE"),)) in samples
        assert ("pullit_llm_tokens_total", (("direction", "input"),)) in samples
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
