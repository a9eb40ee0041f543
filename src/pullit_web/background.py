"""Durable background work in the web process.

Jobs keep their state in the database, so nothing is lost on a crash or restart: a job is
an idempotent "settle whatever is still owed" round (``async () -> int``, how much it
settled). The runner does a round at start, whenever it is woken (``wake()`` after a
request recorded new work) and every ``interval`` seconds, so any instance picks up what
another one left behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

log = logging.getLogger("pullit.background")

Job = Callable[[], Awaitable[int]]


class BackgroundRunner:
    def __init__(self, jobs: Mapping[str, Job], interval: float = 30.0) -> None:
        self._jobs = dict(jobs)
        self._interval = interval
        self._woken = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Ask for a round soon; cheap and safe to call from any request handler."""
        self._woken.set()

    async def run_round(self) -> int:
        """Run every job once; a failing job is logged and retried next round."""
        settled = 0
        for name, job in self._jobs.items():
            try:
                settled += await job()
            except Exception:  # one job's trouble must not stop the others
                log.exception("background job %r failed; it will be retried", name)
        return settled

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="pullit-background")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self) -> None:
        while True:
            self._woken.clear()
            if await self.run_round():
                # A full batch may leave more behind; keep going while there is work.
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), self._interval)


async def running(runner: BackgroundRunner) -> AsyncIterator[BackgroundRunner]:
    """Container resource: the runner works from app startup until shutdown."""
    runner.start()
    try:
        yield runner
    finally:
        await runner.stop()
