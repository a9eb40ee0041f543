"""Fixed-window request counters for the rate limits: in this process, or shared through Redis.

A counter is bumped and read in one atomic step (Redis ``INCR`` inside a script), so instances
racing on the same key never lose a hit; a read-then-write through a key-value store would.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

log = logging.getLogger("pullit.rate_limits")


@dataclass(frozen=True)
class Window:
    """Hits counted so far in the current window (this one included) and seconds until it resets."""

    hits: int
    resets_in: int


class RateCounter(Protocol):
    async def hit(self, key: str, window_seconds: int) -> Window | None:
        """Count one hit; ``None`` when the count cannot be had (the request then goes unlimited)."""
        ...

    async def aclose(self) -> None: ...


class MemoryRateCounter:
    """One process's counts: enough when a single instance serves everyone."""

    # Dropping expired windows only once this many keys pile up keeps each hit O(1).
    PRUNE_ABOVE = 10_000

    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, float]] = {}
        # Test clients serve requests on one event loop and run startup on another thread's.
        self._lock = threading.Lock()

    async def hit(self, key: str, window_seconds: int) -> Window | None:
        now = time.monotonic()
        with self._lock:
            hits, ends = self._windows.get(key, (0, 0.0))
            if ends <= now:
                hits, ends = 0, now + window_seconds
            self._windows[key] = (hits + 1, ends)
            if len(self._windows) > self.PRUNE_ABOVE:
                self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
        return Window(hits + 1, max(1, math.ceil(ends - now)))

    async def aclose(self) -> None:
        self._windows.clear()


# INCR and the window's expiry in one step: a key never lives on without its expiry.
_HIT = """
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
end
return {hits, ttl}
"""


class RedisRateCounter:
    """Counts shared by every instance using the same Redis and key prefix."""

    def __init__(self, url: str, prefix: str) -> None:
        # A limit check must never hold a request up for long: no retries, short timeouts.
        self._redis: Redis = Redis.from_url(
            url, socket_connect_timeout=1, socket_timeout=1, retry=Retry(NoBackoff(), 0)
        )
        self._script = self._redis.register_script(_HIT)
        self._prefix = prefix
        self._failing = False

    async def hit(self, key: str, window_seconds: int) -> Window | None:
        try:
            hits, ttl_ms = await self._script(keys=[f"{self._prefix}:{key}"], args=[window_seconds * 1000])
        except (RedisError, OSError) as error:
            # Failing open: an outage of Redis must not take sign-in, uploads and generation down with it.
            if not self._failing:
                log.warning("rate limits are off until Redis answers again: %s", type(error).__name__)
            self._failing = True
            return None
        if self._failing:
            log.info("rate limits are back: Redis answers again")
            self._failing = False
        return Window(int(hits), max(1, math.ceil(int(ttl_ms) / 1000)))

    async def aclose(self) -> None:
        await self._redis.aclose()


def rate_counter_for(redis_url: str, prefix: str) -> RateCounter:
    return RedisRateCounter(redis_url, prefix) if redis_url else MemoryRateCounter()
