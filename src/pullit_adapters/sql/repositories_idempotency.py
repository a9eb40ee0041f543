from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from pullit_adapters.sql.tables import idempotency_keys
from pullit_domain.model.idempotency import IdempotencyRecord

_k = idempotency_keys.c


class SqlIdempotencyKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, member_id: int, scope: str, key: str) -> IdempotencyRecord | None:
        query = select(_k.id, _k.fingerprint, _k.resource_id, _k.created_at).where(
            _k.member_id == member_id, _k.scope == scope, _k.idempotency_key == key
        )
        row = (await self._session.execute(query)).first()
        if row is None:
            return None
        return IdempotencyRecord(member_id, scope, key, row.fingerprint, row.resource_id, row.created_at, row.id)

    async def add(self, record: IdempotencyRecord) -> None:
        values = {
            "member_id": record.member_id,
            "scope": record.scope,
            "idempotency_key": record.key,
            "fingerprint": record.fingerprint,
            "resource_id": record.resource_id,
            "created_at": record.created_at,
        }
        await self._session.execute(insert(idempotency_keys).values(values))

    async def delete(self, record: IdempotencyRecord) -> None:
        await self._session.execute(delete(idempotency_keys).where(_k.id == record.id))
