"""The generation worker: claims jobs from the database and runs them, N at a time.

It runs inside ``pullit serve`` (unless ``PULLIT_RUN_WORKER=false``) and as ``pullit worker``
processes; all of them claim from the same table, so any worker can take any job. A new
job wakes an idle in-process worker at once; the poll interval is only the fallback that
lets workers in other processes find work. A running job renews its lease every third of
``PULLIT_GENERATION_LEASE_SECONDS``, so a crashed worker's jobs are free again within one lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator

from pullit_adapters.metrics import generation_jobs
from pullit_domain.use_cases.generation import (
    ClaimedJob,
    ClaimGenerationJob,
    ExpireStalePendingSets,
    GenerateQuestionSet,
    RenewGenerationLease,
)

log = logging.getLogger("pullit.worker")


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class GenerationWorker:
    def __init__(
        self,
        claim: ClaimGenerationJob,
        generate: GenerateQuestionSet,
        expire: ExpireStalePendingSets,
        renew: RenewGenerationLease,
        concurrency: int,
        poll_seconds: float,
        lease_seconds: float,
        sweep_seconds: float = 60.0,
        owner: str | None = None,
    ) -> None:
        self._claim = claim
        self._generate = generate
        self._expire = expire
        self._renew = renew
        # Three renewals a lease: one slow or failed renewal does not lose the job.
        self._heartbeat_every = lease_seconds / 3
        self._concurrency = concurrency
        self._poll = poll_seconds
        self._sweep = sweep_seconds
        self.owner = owner or worker_identity()
        self._woken = asyncio.Event()
        # Slots of one process take turns claiming, so they never race each other for a row.
        self._claiming = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []

    def wake(self) -> None:
        self._woken.set()

    def start(self) -> None:
        if self._tasks:
            return
        self._tasks = [
            asyncio.create_task(self._slot(), name=f"pullit-generation-{n}") for n in range(self._concurrency)
        ]
        self._tasks.append(asyncio.create_task(self._sweeper(), name="pullit-stale-sets"))
        log.info("generation worker started", extra={"fields": {"owner": self.owner, "slots": self._concurrency}})

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run_once(self) -> bool:
        """Claim and run one job if there is one; for tests and the CLI."""
        async with self._claiming:
            claimed = await self._claim(self.owner)
        if claimed is None:
            return False
        heartbeat = asyncio.create_task(self._heartbeat(claimed), name=f"pullit-lease-{claimed.job_id}")
        try:
            outcome = await self._generate(claimed, self.owner)
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
        generation_jobs.labels(outcome).inc()
        log.info(
            "generation attempt finished",
            extra={
                "fields": {"questionSetId": claimed.question_set_id, "attempt": claimed.attempt, "outcome": outcome}
            },
        )
        return True

    async def _heartbeat(self, claimed: ClaimedJob) -> None:
        """Keep the lease while the job runs; a job whose lease lapsed anyway will not write."""
        while True:
            await asyncio.sleep(self._heartbeat_every)  # the renewal period, not synchronisation
            try:
                if not await self._renew(claimed, self.owner):
                    log.warning("generation lease lost", extra={"fields": {"questionSetId": claimed.question_set_id}})
                    return
            except Exception:  # the database may be restarting; the next beat tries again
                log.exception("could not renew a generation lease; retrying")

    async def _slot(self) -> None:
        while True:
            try:
                if await self.run_once():
                    continue
            except Exception:  # the database may be restarting; keep the worker alive
                log.exception("generation worker could not claim or run a job; retrying")
            self._woken.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), self._poll)

    async def _sweeper(self) -> None:
        while True:
            try:
                expired = await self._expire()
                if expired:
                    log.warning("stale pending sets failed", extra={"fields": {"count": expired}})
            except Exception:
                log.exception("stale-set sweep failed; retrying")
            await asyncio.sleep(self._sweep)


async def working(worker: GenerationWorker, enabled: bool) -> AsyncIterator[GenerationWorker]:
    """Container resource: the in-process worker runs from app startup until shutdown."""
    if enabled:
        worker.start()
    try:
        yield worker
    finally:
        await worker.stop()
