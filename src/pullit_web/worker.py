"""The generation worker: claims jobs from the database and runs them, N at a time.

It runs inside ``pullit serve`` (unless ``PULLIT_RUN_WORKER=false``) and as ``pullit worker``
processes; all of them claim from the same table, so any worker can take any job. A new
job wakes an idle in-process worker at once; the poll interval is only the fallback that
lets workers in other processes find work.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid

from pullit_adapters.metrics import generation_jobs
from pullit_domain.use_cases.generation import ClaimGenerationJob, ExpireStalePendingSets, GenerateQuestionSet
from pullit_web.runtime.loop import DurableLoop

log = logging.getLogger("pullit.worker")


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class GenerationWorker:
    def __init__(
        self,
        claim: ClaimGenerationJob,
        generate: GenerateQuestionSet,
        expire: ExpireStalePendingSets,
        concurrency: int,
        poll_seconds: float,
        sweep_seconds: float = 60.0,
        owner: str | None = None,
    ) -> None:
        self._claim = claim
        self._generate = generate
        self._expire = expire
        self.owner = owner or worker_identity()
        # Slots of one process take turns claiming, so they never race each other for a row.
        self._claiming = asyncio.Lock()
        self._slots = DurableLoop(
            "generation",
            self.run_once,
            poll_seconds,
            slots=concurrency,
            failure="generation worker could not claim or run a job; retrying",
        )
        self._sweeper = DurableLoop("stale-sets", self._sweep_once, sweep_seconds, failure="stale-set sweep failed")

    def wake(self) -> None:
        self._slots.wake()

    def start(self) -> None:
        self._slots.start()
        self._sweeper.start()
        log.info("generation worker started", extra={"fields": {"owner": self.owner}})

    async def stop(self) -> None:
        await self._slots.stop()
        await self._sweeper.stop()

    async def run_once(self) -> bool:
        """Claim and run one job if there is one (then more may be waiting); for tests and the CLI too."""
        async with self._claiming:
            claimed = await self._claim(self.owner)
        if claimed is None:
            return False
        outcome = await self._generate(claimed, self.owner)
        generation_jobs.labels(outcome).inc()
        log.info(
            "generation attempt finished",
            extra={
                "fields": {"questionSetId": claimed.question_set_id, "attempt": claimed.attempt, "outcome": outcome}
            },
        )
        return True

    async def _sweep_once(self) -> bool:
        expired = await self._expire()
        if expired:
            log.warning("stale pending sets failed", extra={"fields": {"count": expired}})
        return False
