"""In-memory refresh tokens and used login codes, on the tables of ``InMemoryDatabase``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pullit_domain.errors import Conflict
from pullit_domain.model.refresh_token import RefreshToken, UsedLoginCode

if TYPE_CHECKING:
    from pullit_adapters.memory.table import Table


class InMemoryRefreshTokenRepository:
    def __init__(self, table: Table[RefreshToken]) -> None:
        self._table = table

    async def add(self, token: RefreshToken) -> None:
        if any(other.token_hash == token.token_hash for other in self._table.rows.values()):
            raise Conflict("refresh token already exists")
        self._table.insert(token)

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        return next((t for t in self._table.rows.values() if t.token_hash == token_hash), None)

    async def mark_rotated(self, token_id: int, at: datetime) -> bool:
        token = self._table.rows.get(token_id)
        if token is None or token.spent:
            return False
        token.rotated_at = at
        return True

    async def revoke_family(self, family_id: str, at: datetime) -> int:
        live = [t for t in self._table.rows.values() if t.family_id == family_id and t.revoked_at is None]
        for token in live:
            token.revoked_at = at
        return len(live)


class InMemoryLoginCodeRepository:
    def __init__(self, table: Table[UsedLoginCode]) -> None:
        self._table = table

    async def claim(self, code_id: str, expires_at: datetime, now: datetime) -> bool:
        for key in [k for k, used in self._table.rows.items() if used.expires_at <= now]:
            del self._table.rows[key]
        if any(used.code_id == code_id for used in self._table.rows.values()):
            return False
        self._table.insert(UsedLoginCode(code_id=code_id, expires_at=expires_at))
        return True
