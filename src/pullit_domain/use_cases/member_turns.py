"""One writing transaction per member at a time in this process.

A use case that takes the member's lock in the database (``uow.members.lock``) holds a pooled
connection while it waits for that lock. When one member sends several requests at once
(double clicks, several tabs, a retrying client), those waiting requests would hold connections
that other members' requests need, and everyone queues behind the busiest member. Taking a
turn here first makes the member's other requests wait in this process, holding nothing; the
database lock still orders requests of the same member across processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class MemberTurns:
    def __init__(self) -> None:
        # member id -> (its lock, how many requests hold or wait for it)
        self._turns: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def turn(self, member_id: int) -> AsyncIterator[None]:
        """Wait until no other request of the member in this process holds a turn (first come,
        first served), and hold one until the block ends."""
        lock, users = self._turns.get(member_id) or (asyncio.Lock(), 0)
        self._turns[member_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._turns[member_id]
            if users == 1:
                del self._turns[member_id]
            else:
                self._turns[member_id] = (lock, users - 1)

    def waiting(self, member_id: int) -> int:
        """Requests of the member holding or waiting for a turn (0 when none)."""
        return self._turns.get(member_id, (None, 0))[1]
