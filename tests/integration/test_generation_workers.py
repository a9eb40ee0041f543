"""Generation workers as separate processes on one MariaDB: exactly one completion per set,
even when two workers race or one is killed in the middle of a job."""

from __future__ import annotations

import signal
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from pullit_adapters.sql.migrate import upgrade
from pullit_domain.model.question import QuestionType
from pullit_domain.model.question_set import QuestionSetStatus
from tests.support import fake_gemini
from tests.support.fake_gemini import FakeGemini, canned_questions
from tests.support.polling import eventually
from tests.support.services import fresh_mariadb_database
from tests.support.slow_gemini import SlowGemini
from tests.support.worker_cluster import QUESTIONS, Cluster, worker_cluster


@pytest.fixture
def gemini() -> Iterator[FakeGemini]:
    fake = FakeGemini().start()
    yield fake
    fake.close()


@pytest.fixture
def own_mariadb() -> Iterator[str]:
    """A database of this test's own: jobs other tests leave behind must not reach its workers."""
    with fresh_mariadb_database() as url:
        upgrade(url)
        yield url


@pytest.fixture
async def cluster(tmp_path: Path, own_mariadb: str, gemini: FakeGemini) -> AsyncIterator[Cluster]:
    overrides = {
        "database_url": own_mariadb,
        "gemini_api_key": fake_gemini.API_KEY,
        "gemini_base_url": gemini.base_url,
        "worker_poll_seconds": "0.1",
        "generation_lease_seconds": "3",
        "worker_concurrency": "2",
    }
    async for running in worker_cluster(tmp_path, overrides):
        yield running


async def test_two_workers_racing_for_one_job_complete_it_once(
    cluster: Cluster, gemini: FakeGemini, fixtures_dir: Path
) -> None:
    # Enough answers for both, so a double run would show as a second call and doubled questions.
    gemini.script(*(fake_gemini.ok(canned_questions(QuestionType.MULTIPLE_CHOICE, QUESTIONS)) for _ in range(2)))
    cluster.start_worker()
    cluster.start_worker()

    set_id = await cluster.pending_set(fixtures_dir)

    async def settled() -> bool:
        return (await cluster.outcome(set_id))[0] is not QuestionSetStatus.PENDING

    await eventually(settled, 40, "every set to settle")
    assert await cluster.outcome(set_id) == (QuestionSetStatus.COMPLETE, QUESTIONS, 1, 1)
    assert len(gemini.generate_calls) == 1


async def test_a_killed_worker_is_replaced_and_the_set_completes_once(
    cluster: Cluster, gemini: FakeGemini, fixtures_dir: Path
) -> None:
    gemini.script(fake_gemini.hang(), fake_gemini.ok(canned_questions(QuestionType.MULTIPLE_CHOICE, QUESTIONS)))
    doomed = cluster.start_worker()
    set_id = await cluster.pending_set(fixtures_dir)

    await eventually(
        lambda: len(gemini.generate_calls) == 1, 40, "the first model call"
    )  # the doomed worker is inside the model call
    doomed.kill()
    doomed.wait(timeout=10)
    assert (await cluster.outcome(set_id))[0] is QuestionSetStatus.PENDING

    cluster.start_worker()  # claims the job again once the dead worker's lease runs out

    async def settled() -> bool:
        return (await cluster.outcome(set_id))[0] is not QuestionSetStatus.PENDING

    await eventually(settled, 40, "every set to settle")
    assert await cluster.outcome(set_id) == (QuestionSetStatus.COMPLETE, QUESTIONS, 1, 2)
    assert len(gemini.generate_calls) == 2


LEASE_SECONDS = 2.0
POLL_SECONDS = 0.2
LATENCY_SECONDS = 3 * LEASE_SECONDS  # every model call outlives a lease: only renewals keep it
CRASHED_SETS = 3
# Starting a Python process on a busy test machine; not part of what is measured.
PROCESS_START_ALLOWANCE = 15.0


@pytest.fixture
def slow_gemini() -> Iterator[SlowGemini]:
    with SlowGemini(LATENCY_SECONDS, QUESTIONS) as fake:
        yield fake


@pytest.fixture
async def slow_cluster(tmp_path: Path, own_mariadb: str, slow_gemini: SlowGemini) -> AsyncIterator[Cluster]:
    overrides = {
        "database_url": own_mariadb,
        "gemini_api_key": fake_gemini.API_KEY,
        "gemini_base_url": slow_gemini.base_url,
        "worker_poll_seconds": str(POLL_SECONDS),
        "generation_lease_seconds": str(LEASE_SECONDS),
        "worker_concurrency": str(CRASHED_SETS),
    }
    async for running in worker_cluster(tmp_path, overrides):
        yield running


async def test_a_worker_killed_mid_generation_loses_its_jobs_for_one_lease_only(
    slow_cluster: Cluster, fixtures_dir: Path
) -> None:
    doomed = slow_cluster.start_worker()
    sets = [await slow_cluster.pending_set(fixtures_dir) for _ in range(CRASHED_SETS)]

    async def all_running_on_the_doomed_worker() -> bool:
        return all([(await slow_cluster.job_of(s)).lease_owner for s in sets])

    await eventually(all_running_on_the_doomed_worker, 60, "the doomed worker to hold every job")
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)
    killed_at = time.monotonic()
    slow_cluster.start_worker()  # more slots than jobs: an idle slot would steal any lease left to lapse

    async def all_settled() -> bool:
        return all([(await slow_cluster.outcome(s))[0] is not QuestionSetStatus.PENDING for s in sets])

    bound = LEASE_SECONDS + POLL_SECONDS + LATENCY_SECONDS + PROCESS_START_ALLOWANCE
    await eventually(all_settled, bound, "every set to settle on the new worker")
    recovered_in = time.monotonic() - killed_at
    # Each set: one attempt on the dead worker, one on the new one (a lapsed lease would add more),
    # all its questions once, and one completion event.
    assert [await slow_cluster.outcome(s) for s in sets] == [(QuestionSetStatus.COMPLETE, QUESTIONS, 1, 2)] * len(sets)
    assert recovered_in <= bound
