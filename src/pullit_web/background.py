"""Durable background work in the web process.

Jobs keep their state in the database, so nothing is lost on a crash or restart: a job is
an idempotent "settle whatever is still owed" round (``async () -> int``, how much it
settled). The runner does a round at start, whenever it is woken (a committed upload)
and every ``interval`` seconds, so any instance picks up what another one left behind.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from pullit_web.runtime.loop import DurableLoop

log = logging.getLogger("pullit.background")

Job = Callable[[], Awaitable[int]]


class BackgroundRunner:
    def __init__(self, jobs: Mapping[str, Job], interval: float = 30.0) -> None:
        self._jobs = dict(jobs)
        self._loop = DurableLoop("background", self._round, interval)

    def wake(self) -> None:
        """Ask for a round soon."""
        self._loop.wake()

    async def run_round(self) -> int:
        """Run every job once; a failing job is logged and retried next round."""
        settled = 0
        for name, job in self._jobs.items():
            try:
                settled += await job()
            except Exception:  # one job's trouble must not stop the others
                log.exception("background job %r failed; it will be retried", name)
        return settled

    async def _round(self) -> bool:
        # A round that settled something may have left more behind (jobs work in batches).
        return await self.run_round() > 0

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()
