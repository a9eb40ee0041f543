"""Readiness: can this instance reach what it needs right now?"""

from __future__ import annotations

import asyncio
import time

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


class CheckResult(msgspec.Struct):
    name: str
    ok: bool
    ms: float
    error: str | None = None


class Readiness:
    def __init__(self, engine: AsyncEngine, timeout: float = 2.0, broker: object | None = None) -> None:
        self._engine = engine
        self._timeout = timeout
        # The notifier, when it spans instances (Redis): anything with an async ``ping()``.
        self._broker_ping = getattr(broker, "ping", None)

    async def check(self) -> list[CheckResult]:
        checks = [await self._timed("database", self._database())]
        if self._broker_ping is not None:
            checks.append(await self._timed("broker", self._broker_ping()))
        return checks

    async def _database(self) -> None:
        async with self._engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def _timed(self, name: str, probe: object) -> CheckResult:
        started = time.perf_counter()
        try:
            await asyncio.wait_for(probe, self._timeout)  # type: ignore[arg-type]
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            return CheckResult(name, False, _ms(started), type(error).__name__)
        return CheckResult(name, True, _ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
