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

from pullit_adapters.metrics import generation_jobs
from pullit_domain.use_cases.generation import (
    ClaimedJob,
    ClaimGenerationJob,
    ExpireStalePendingSets,
    GenerateQuestionSet,
    RenewGenerationLease,
)
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

    async def _sweep_once(self) -> bool:
        expired = await self._expire()
        if expired:
            log.warning("stale pending sets failed", extra={"fields": {"count": expired}})
        return False

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
