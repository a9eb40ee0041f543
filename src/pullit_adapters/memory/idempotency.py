"""In-memory idempotency keys, on the tables of ``InMemoryDatabase``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pullit_domain.errors import Conflict
from pullit_domain.model.idempotency import IdempotencyRecord

if TYPE_CHECKING:
    from pullit_adapters.memory.table import Table


class InMemoryIdempotencyKeyRepository:
    def __init__(self, table: Table[IdempotencyRecord]) -> None:
        self._table = table

    async def get(self, member_id: int, scope: str, key: str) -> IdempotencyRecord | None:
        return next(
            (r for r in self._table.rows.values() if (r.member_id, r.scope, r.key) == (member_id, scope, key)), None
        )

    async def add(self, record: IdempotencyRecord) -> None:
        if await self.get(record.member_id, record.scope, record.key) is not None:
            raise Conflict("idempotency key already recorded")
        self._table.insert(record)

    async def delete(self, record: IdempotencyRecord) -> None:
        self._table.rows.pop(record.id or 0, None)
