"""Generation workers as `pullit worker` child processes on one database, for tests and benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from pullit_domain.model.generation_job import GenerationJob
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.model.source import new_upload_id, object_key
from pullit_domain.use_cases.question_sets import NewQuestionSet
from pullit_web.container import Container
from pullit_web.settings import Settings
from tests.support.app import TEST_SECRET, make_settings
from tests.support.source_rows import ready_source_row

PULLIT = str(Path(sys.executable).with_name("pullit"))
QUESTIONS = 4


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
        source_id = await ready_source_row(
            container.unit_of_work, member.id, key, "photosynthesis.pdf", path.stat().st_size, now
        )
        return await container.create_question_set()(
            NewQuestionSet(member.id, [source_id], QuestionType.MULTIPLE_CHOICE, Difficulty.EASY, QUESTIONS)
        )

    async def job_of(self, set_id: int) -> GenerationJob:
        async with self.container.unit_of_work() as uow:
            job = await uow.jobs.for_set(set_id)
        assert job is not None
        return job

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


async def worker_cluster(tmp_path: Path, overrides: dict[str, str]) -> AsyncIterator[Cluster]:
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
