"""What asyncmy sends to MariaDB, one query text per round trip, for tests and benchmarks that count or replay them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from asyncmy.connection import Connection
from asyncmy.constants.COMMAND import COM_QUERY


@contextmanager
def sent_queries(record: Callable[[Connection, str], None]) -> Iterator[None]:
    """Call ``record(connection, sql)`` for every query asyncmy sends inside the block."""
    send = Connection._execute_command  # type: ignore[attr-defined]

    async def recorded(self: Connection, command: int, sql: Any) -> Any:
        if command == COM_QUERY:
            record(self, sql.decode() if isinstance(sql, bytes) else str(sql))
        return await send(self, command, sql)

    Connection._execute_command = recorded  # type: ignore[attr-defined]
    try:
        yield
    finally:
        Connection._execute_command = send  # type: ignore[attr-defined]
