"""Generation workers as separate processes on one MariaDB: exactly one completion per set,
even when two workers race or one is killed in the middle of a job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pullit_adapters.sql.migrate import upgrade
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.model.source import LearningSource, SourceFolder, SourceStatus, new_upload_id, object_key
from pullit_domain.use_cases.question_sets import NewQuestionSet
from pullit_web.container import Container
from pullit_web.settings import Settings
from tests.support import fake_gemini
from tests.support.app import TEST_SECRET, make_settings
from tests.support.fake_gemini import FakeGemini, canned_questions
from tests.support.polling import eventually
from tests.support.services import fresh_mariadb_database

PULLIT = str(Path(sys.executable).with_name("pullit"))
QUESTIONS = 4


@pytest.fixture
def gemini() -> Iterator[FakeGemini]:
    fake = FakeGemini().start()
    yield fake
    fake.close()


@dataclass
class Cluster:
    settings: Settings
    container: Container
    environment: dict[str, str]
    processes: list[subprocess.Popen[bytes]]

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = self.settings.data_dir / f"worker-{len(self.processes)}.log"
        with log.open("wb") as output:
            process = subprocess.Popen([PULLIT, "worker"], env=self.environment, stdout=output, stderr=output)
        self.processes.append(process)
        return process

    async def pending_set(self, fixtures: Path) -> int:
        """A member with one READY source and a PENDING set, committed as the web shell would."""
        container = self.container
        subject = uuid.uuid4().hex
        member = (
            await container.sign_up_member()(ExternalIdentity("kakao", subject, "Racer", f"{subject}@example.com"))
        ).member
        assert member.id is not None
        now = container.clock().now()
        key = object_key(member.id, new_upload_id(), now)
        path = container.file_store().object_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((fixtures / "photosynthesis.pdf").read_bytes())
        async with container.unit_of_work() as uow:
            folder = SourceFolder(member_id=member.id, name="기본 폴더")
            await uow.sources.add_folder(folder)
            assert folder.id is not None
            source = LearningSource(
                member_id=member.id,
                folder_id=folder.id,
                object_key=key,
                original_name="photosynthesis.pdf",
                content_type="application/pdf",
                size_bytes=path.stat().st_size,
                created_at=now,
                status=SourceStatus.READY,
                page_count=3,
            )
            await uow.sources.add(source)
            await uow.commit()
        assert source.id is not None
        return await container.create_question_set()(
            NewQuestionSet(member.id, [source.id], QuestionType.MULTIPLE_CHOICE, Difficulty.EASY, QUESTIONS)
        )

    async def outcome(self, set_id: int) -> tuple[QuestionSetStatus, int, int, int]:
        """(status, questions, notifications, attempts) of a set."""
        async with self.container.unit_of_work() as uow:
            question_set = await uow.question_sets.by_id(set_id)
            assert question_set is not None
            questions = await uow.questions.for_set(set_id)
            events = await uow.notifications.after(question_set.member_id, 0)
            job = await uow.jobs.for_set(set_id)
        assert job is not None
        return question_set.status, len(questions), len(events), job.attempts


@pytest.fixture
def own_mariadb() -> Iterator[str]:
    """A database of this test's own: jobs other tests leave behind must not reach its workers."""
    with fresh_mariadb_database() as url:
        upgrade(url)
        yield url


@pytest.fixture
async def cluster(tmp_path: Path, own_mariadb: str, gemini: FakeGemini) -> AsyncIterator[Cluster]:
    mariadb_url = own_mariadb
    overrides = {
        "database_url": mariadb_url,
        "gemini_api_key": fake_gemini.API_KEY,
        "gemini_base_url": gemini.base_url,
        "worker_poll_seconds": "0.1",
        "generation_lease_seconds": "3",
        "worker_concurrency": "2",
    }
    settings = make_settings(tmp_path, **overrides)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PULLIT_")}
    environment.update({f"PULLIT_{k.upper()}": v for k, v in overrides.items()})
    environment.update(
        {"PULLIT_DATA_DIR": str(tmp_path), "PULLIT_SECRET_KEY": TEST_SECRET, "PULLIT_LOG_FORMAT": "text"}
    )
    container = Container(settings=settings)
    running = Cluster(settings, container, environment, [])
    yield running
    for process in running.processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in running.processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    await container.engine().dispose()


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
