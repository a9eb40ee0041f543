"""One durable loop: the worker slots, the outbox relay and the background rounds all run on it.

Work is durable in the database, so a loop only decides *when* to look: a round at start,
another at once while rounds report more work, one whenever it is woken (a committed domain
event), and otherwise one every ``interval`` seconds, which finds work committed by other
processes. A failing round is logged (with its traceback when a failure streak begins, as one
line on each retry after) and retried with exponential back-off capped at ``interval``;
stopping cancels cleanly between or inside rounds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Protocol, TypeVar

from prometheus_client import Counter

from pullit_domain.events import Event
from pullit_web.runtime.events import EventDispatcher

log = logging.getLogger("pullit.loop")

Round = Callable[[], Awaitable[bool]]
"""One pass over the loop's work; True when more is waiting and the next round should start at once."""

loop_rounds = Counter("pullit_loop_rounds", "Rounds of the durable loops, by loop and outcome", ["loop", "outcome"])

FIRST_RETRY_SECONDS = 0.1


class DurableLoop:
    def __init__(self, name: str, round: Round, interval: float, slots: int = 1, failure: str = "") -> None:
        self.name = name
        self._round = round
        self._interval = interval
        self._failure = failure or f"{name}: a round failed; retrying"
        # One event per slot, so a wake reaches every idle slot rather than whichever clears first.
        self._wakes = [asyncio.Event() for _ in range(slots)]
        self._tasks: list[asyncio.Task[None]] = []
        self._busy, self._idle, self._error = (
            loop_rounds.labels(name, outcome) for outcome in ("busy", "idle", "error")
        )

    def wake(self) -> None:
        """Ask for a round soon; cheap, and safe to call from anywhere on the loop's event loop."""
        for woken in self._wakes:
            woken.set()

    def start(self) -> None:
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._run(woken), name=f"pullit-{self.name}-{n}")
                for n, woken in enumerate(self._wakes)
            ]

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, woken: asyncio.Event) -> None:
        failures = 0
        while True:
            woken.clear()
            try:
                more = await self._round()
            except Exception:  # the database or broker may be restarting; the loop must outlive it
                self._error.inc()
                if failures == 0:
                    log.exception(self._failure)
                else:  # still failing: one line each retry, the traceback was logged when the streak began
                    log.warning(self._failure)
                failures += 1
                await self._pause(woken, min(self._interval, FIRST_RETRY_SECONDS * 2 ** (failures - 1)))
                continue
            if failures:
                log.info("%s: rounds succeed again after %d failures", self.name, failures)
                failures = 0
            (self._busy if more else self._idle).inc()
            if not more:
                await self._pause(woken, self._interval)

    @staticmethod
    async def _pause(woken: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await woken.wait()


class Runnable(Protocol):
    """A durable loop, or a component made of them (the generation worker, the background runner)."""

    def wake(self) -> None: ...

    def start(self) -> None: ...

    async def stop(self) -> None: ...


R = TypeVar("R", bound=Runnable)


async def woken_by(loop: R, events: EventDispatcher, kind: type[Event], enabled: bool = True) -> AsyncIterator[R]:
    """Container resource: when enabled, ``loop`` runs from startup until shutdown and each
    committed ``kind`` event wakes it."""
    if not enabled:
        yield loop
        return
    unsubscribe = events.subscribe(kind, lambda _: loop.wake())
    loop.start()
    try:
        yield loop
    finally:
        unsubscribe()
        await loop.stop()
