"""Remembered Idempotency-Keys of every route that takes one."""

from __future__ import annotations

from typing import Protocol

from pullit_domain.model.idempotency import IdempotencyRecord


class IdempotencyKeyRepository(Protocol):
    """Remembered idempotency keys; (member, scope, key) is unique, so ``add`` of a key that
    another transaction added first makes ``commit`` raise ``Conflict``."""

    async def get(self, member_id: int, scope: str, key: str) -> IdempotencyRecord | None: ...

    async def add(self, record: IdempotencyRecord) -> None: ...

    async def delete(self, record: IdempotencyRecord) -> None: ...
