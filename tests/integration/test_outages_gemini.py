"""Gemini is unreachable: the job is retried up to the limit, then the set is FAILED and the learner told.

Runs the real Gemini adapter (pointed at a port nothing listens on) and the real SQL unit of
work; the worker is the service's own, run round by round from the test.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from litestar import Litestar

from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_web.bootstrap.container import Container
from pullit_web.settings import Settings
from tests.support.app import make_settings
from tests.support.database import migrated_sqlite, own_database
from tests.support.live_server import free_port
from tests.support.members import sign_in
from tests.support.uploads import Client, ready_source

MAX_ATTEMPTS = 3


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A database of this test's own, so the worker only ever finds this test's job."""
    url = migrated_sqlite(tmp_path / "own.db")
    return make_settings(
        tmp_path,
        database_url=url,
        gemini_api_key="fake-gemini-key-0123456789",
        gemini_base_url=f"http://127.0.0.1:{free_port()}",  # closed: every call is refused
        generation_max_attempts=str(MAX_ATTEMPTS),
        generation_retry_base_seconds="0.01",
    )


async def work_until_settled(app: Litestar, uow_of_test: UnitOfWorkFactory, set_id: int, within: float = 20) -> None:
    """Worker rounds until the set leaves PENDING; back-offs make some rounds find nothing due yet."""
    worker = Container(settings=app.state.settings)
    deadline = time.monotonic() + within
    try:
        while True:
            async with uow_of_test() as uow:
                question_set = await uow.question_sets.by_id(set_id)
            assert question_set is not None
            if not question_set.is_pending:
                return
            assert time.monotonic() < deadline, f"set {set_id} still PENDING after {within}s"
            if not await worker.generation_worker().run_once():
                await asyncio.sleep(0.01)  # the interval of a bounded poll: the back-off is not over yet
    finally:
        await worker.engine().dispose()


async def test_an_unreachable_gemini_is_retried_then_the_set_fails_and_the_learner_is_told(
    app: Litestar, client: Client, settings: Settings, fixtures_dir: Path
) -> None:
    learner = await sign_in(app, "Jiwoo")
    source = await ready_source(client, learner, fixtures_dir / "photosynthesis.pdf")
    body = {"sourceIds": [source], "type": "MULTIPLE_CHOICE", "difficulty": "EASY", "questionCount": 3}
    asked = await client.post("/api/question-set", json=body, headers=learner.headers)
    assert asked.status_code == 201, asked.text
    set_id = int(asked.headers["location"].rsplit("/", 1)[1])

    async with own_database(settings.database_url) as uow_of_test:
        await work_until_settled(app, uow_of_test, set_id)
        async with uow_of_test() as uow:
            job = await uow.jobs.for_set(set_id)
            events = await uow.notifications.after(learner.member_id, 0)

    assert job is not None and job.attempts == MAX_ATTEMPTS
    failed = await client.get(f"/api/question-set/{set_id}", headers=learner.headers)
    assert failed.status_code == 422, failed.text
    assert failed.json()["code"] == "QSE_003"
    # The reason was written in the member's language (none chosen: PULLIT_DEFAULT_LANGUAGE, ko).
    assert "Gemini에 연결할 수 없습니다" in failed.json()["detail"]
    told = [json.loads(e.data) for e in events if e.name == "questionSetCreationComplete"]
    assert [(t["questionSetId"], t["success"], t["status"]) for t in told] == [(set_id, False, "FAILED")]
