"""MariaDB restarts under a running service: requests get 503 problems, nothing crashes, the job still completes.

A private MariaDB server (never the machine's shared one) is stopped while a generation job
waits on Gemini and requests keep arriving, then started again on the same datadir and port.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from pullit_adapters.clock import SystemClock
from pullit_adapters.sql.migrate import upgrade
from pullit_adapters.sql.unit_of_work import SqlUnitOfWork
from pullit_adapters.tokens import JwtAccessTokens
from pullit_domain.errors import Unavailable
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.model.question import QuestionType
from pullit_domain.use_cases.members import SignUpMember
from tests.support import fake_gemini
from tests.support.app import TEST_SECRET
from tests.support.fake_gemini import FakeGemini, canned_questions
from tests.support.live_server import LiveServer, wait_until
from tests.support.notifications import Database, Learner, database
from tests.support.polling import eventually
from tests.support.throwaway_mariadb import ThrowawayMariaDB
from tests.support.uploads import local

QUESTIONS = 3


@dataclass
class Service:
    mariadb: ThrowawayMariaDB
    server: LiveServer
    gemini: FakeGemini
    db: Database


@pytest.fixture
def gemini() -> Iterator[FakeGemini]:
    fake = FakeGemini().start()
    try:
        yield fake
    finally:
        fake.close()


@pytest.fixture(scope="module")
def mariadb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThrowawayMariaDB]:
    """One private server for the module; each test stops and starts it and leaves it running."""
    with ThrowawayMariaDB(tmp_path_factory.mktemp("mariadb")) as server:
        yield server


def fresh_database(mariadb: ThrowawayMariaDB) -> str:
    mariadb.start()  # in case an earlier test failed while the server was down
    url = mariadb.create_database(f"pullit_{uuid.uuid4().hex[:8]}")
    upgrade(url)
    return url


@pytest.fixture
async def service(tmp_path: Path, mariadb: ThrowawayMariaDB, gemini: FakeGemini) -> AsyncIterator[Service]:
    url = fresh_database(mariadb)
    environ = {
        "PULLIT_DATABASE_URL": url,
        "PULLIT_DATA_DIR": str(tmp_path / "data"),
        "PULLIT_GEMINI_API_KEY": gemini.api_key,
        "PULLIT_GEMINI_BASE_URL": gemini.base_url,
        # One slot, so nothing else claims the job while its first attempt waits on Gemini.
        "PULLIT_WORKER_CONCURRENCY": "1",
        "PULLIT_WORKER_POLL_SECONDS": "0.2",
        "PULLIT_GENERATION_RETRY_BASE_SECONDS": "0.1",
        # The attempt whose result cannot be recorded must be claimable again soon after.
        "PULLIT_GENERATION_LEASE_SECONDS": "3",
        "PULLIT_OUTBOX_POLL_SECONDS": "0.2",
    }
    with LiveServer(environ) as server:
        async with database(url) as db:
            yield Service(mariadb, server, gemini, db)


async def sign_up(db: Database) -> Learner:
    """A member made through the real sign-up (so they have their folders) and their access token."""
    subject = uuid.uuid4().hex
    identity = ExternalIdentity(provider="test", subject=subject, name="Learner", email=f"{subject}@example.test")
    member = (await SignUpMember(db.uow, SystemClock())(identity)).member
    assert member.id is not None
    return Learner(member.id, JwtAccessTokens(secret=TEST_SECRET, clock=SystemClock()).issue(member.id, member.role))


async def ready_source(http: httpx.AsyncClient, learner: Learner, pdf: Path) -> int:
    data = pdf.read_bytes()
    body = {"fileName": pdf.name, "contentType": "application/pdf", "fileSize": len(data)}
    upload = (await http.post("/api/learning/source/upload", json=body, headers=learner.headers)).json()
    stored = await http.put(local(upload["uploadUrl"]), content=data, headers={"Content-Type": "application/pdf"})
    assert stored.status_code == 200, stored.text
    fields = ("uploadId", "filePath", "originalName", "contentType", "fileSizeBytes")
    completed = await http.post(
        "/api/learning/source/upload-complete", json={k: upload[k] for k in fields}, headers=learner.headers
    )
    assert completed.status_code == 200, completed.text
    source_id = int(completed.json()["id"])

    async def read_status() -> str | None:
        listed = (await http.get("/api/learning/source", headers=learner.headers)).json()
        status = next(item["status"] for item in listed if item["id"] == source_id)
        return None if status == "UPLOADED" else str(status)

    assert await eventually(read_status, 20, "the upload to be read") == "READY"
    return source_id


def assert_unavailable_problem(response: httpx.Response) -> None:
    assert response.status_code == 503, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "COMMON_004"
    assert response.headers["retry-after"]


async def keep_asking(http: httpx.AsyncClient, learner: Learner, statuses: Counter[int], stop: asyncio.Event) -> None:
    """Requests arriving all through the outage, counted by their answer's status."""
    while not stop.is_set():
        response = await http.get("/api/learning/source", headers=learner.headers)
        statuses[response.status_code] += 1
        if response.status_code != 200:
            assert_unavailable_problem(response)


async def completions(db: Database, learner: Learner) -> list[dict[str, Any]]:
    async with db.uow() as uow:
        events = await uow.notifications.after(learner.member_id, 0)
    return [json.loads(event.data) for event in events if event.name == "questionSetCreationComplete"]


async def test_a_mariadb_restart_answers_503_meanwhile_and_the_job_completes_after(
    service: Service, fixtures_dir: Path
) -> None:
    mariadb, server, gemini, db = service.mariadb, service.server, service.gemini, service.db
    learner = await sign_up(db)
    # The first attempt waits on Gemini until released; the retry gets an answer.
    gemini.script(fake_gemini.hang(), fake_gemini.ok(canned_questions(QuestionType.MULTIPLE_CHOICE, QUESTIONS)))
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        source = await ready_source(http, learner, fixtures_dir / "photosynthesis.pdf")
        body = {"sourceIds": [source], "type": "MULTIPLE_CHOICE", "difficulty": "EASY", "questionCount": QUESTIONS}
        asked = await http.post("/api/question-set", json=body, headers=learner.headers)
        assert asked.status_code == 201, asked.text
        set_id = int(asked.headers["location"].rsplit("/", 1)[1])
        wait_until(lambda: len(gemini.generate_calls) == 1, 15, "the job to reach Gemini")

        statuses: Counter[int] = Counter()
        stop = asyncio.Event()
        asking = asyncio.create_task(keep_asking(http, learner, statuses, stop))
        await eventually(lambda: statuses[200] >= 1, 10, "requests to be running")
        mariadb.stop()
        assert_unavailable_problem(await http.get(f"/api/question-set/{set_id}", headers=learner.headers))
        assert_unavailable_problem(await http.post("/api/question-set", json=body, headers=learner.headers))
        async with http.stream("GET", "/api/notifications/subscribe", headers=learner.headers) as sse:
            assert sse.status_code == 503  # refused before the stream starts, never a broken stream
            await sse.aread()
            assert_unavailable_problem(sse)
        ready = await http.get("/api/health/ready")
        assert ready.status_code == 503, ready.text
        # Gemini answers while the database is down: this attempt's result cannot be recorded.
        gemini.release.set()
        await eventually(
            lambda: "could not claim or run a job" in server.log_tail(200), 15, "the worker to hit the outage"
        )
        await eventually(lambda: statuses[503] >= 3, 10, "requests answered during the outage")
        assert server.running, server.log_tail()

        mariadb.start()

        async def completed() -> dict[str, Any] | None:
            answer = await http.get(f"/api/question-set/{set_id}", headers=learner.headers)
            assert answer.status_code in (200, 400, 503), answer.text  # 400 PENDING, 503 the pool reconnecting
            return dict(answer.json()) if answer.status_code == 200 else None

        body = await eventually(completed, 30, "the set to complete after the outage")
        stop.set()
        await asking

    assert server.running, "the service process must survive the outage without a restart"
    assert set(statuses) <= {200, 503} and statuses[503] >= 1, statuses
    assert (body["status"], body["questionLength"]) == ("COMPLETE", QUESTIONS)
    assert len(gemini.generate_calls) == 2
    assert [(c["questionSetId"], c["status"]) for c in await completions(db, learner)] == [(set_id, "COMPLETE")]


@pytest.mark.parametrize("how", ["stop", "kill"])
async def test_a_query_in_flight_when_mariadb_goes_away_ends_as_unavailable(
    mariadb: ThrowawayMariaDB, how: str
) -> None:
    url = fresh_database(mariadb)
    async with database(url) as db:
        started = asyncio.Event()

        async def long_query() -> None:
            async with db.uow() as uow:
                assert isinstance(uow, SqlUnitOfWork)
                await uow.session.execute(text("SELECT 1"))
                started.set()
                await uow.session.execute(text("SELECT SLEEP(20)"))

        query = asyncio.create_task(long_query())
        await asyncio.wait_for(started.wait(), 10)
        getattr(mariadb, how)()
        with pytest.raises(Unavailable):
            await asyncio.wait_for(query, 15)

        mariadb.start()
        # The same pool serves again: its dead connections are found by the pre-ping and replaced.
        async with db.uow() as uow:
            assert isinstance(uow, SqlUnitOfWork)
            assert (await uow.session.execute(text("SELECT 1"))).scalar_one() == 1
