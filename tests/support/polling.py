"""Waiting for a condition with a deadline: the only way tests wait for something to happen."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

INTERVAL = 0.05


def wait_until(condition: object, timeout: float, what: str, interval: float = INTERVAL) -> None:
    """Poll ``condition()`` from synchronous code until it is truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


async def eventually(
    condition: Callable[[], T | Awaitable[T]], within: float, what: str, interval: float = INTERVAL
) -> T:
    """Poll ``condition()`` (plain or async) without blocking the loop until it returns something
    truthy, and return that; fail with ``what`` after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = condition()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result  # type: ignore[return-value]
        assert time.monotonic() < deadline, f"timed out after {within}s waiting for {what}"
        await asyncio.sleep(interval)
