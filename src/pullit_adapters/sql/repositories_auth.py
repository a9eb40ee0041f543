"""Refresh tokens and used login codes, in SQL Core (no ORM identity map to go stale)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, delete, insert, select, update
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from pullit_adapters.sql.tables import refresh_tokens, used_login_codes
from pullit_domain.model.refresh_token import RefreshToken


class SqlRefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: RefreshToken) -> None:
        result = await self._session.execute(
            insert(refresh_tokens).values(
                member_id=token.member_id,
                family_id=token.family_id,
                token_hash=token.token_hash,
                issued_at=token.issued_at,
                expires_at=token.expires_at,
                rotated_at=token.rotated_at,
                revoked_at=token.revoked_at,
            )
        )
        token.id = int(result.inserted_primary_key[0])  # type: ignore[attr-defined]

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        query = select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
        row = (await self._session.execute(query)).mappings().one_or_none()
        return None if row is None else RefreshToken(**dict(row))

    async def mark_rotated(self, token_id: int, at: datetime) -> bool:
        # One conditional UPDATE: of two concurrent refreshes with the same token only one matches a row.
        statement = (
            update(refresh_tokens)
            .where(
                refresh_tokens.c.id == token_id,
                refresh_tokens.c.rotated_at.is_(None),
                refresh_tokens.c.revoked_at.is_(None),
            )
            .values(rotated_at=at)
        )
        return _rowcount(await self._session.execute(statement)) == 1

    async def revoke_family(self, family_id: str, at: datetime) -> int:
        statement = (
            update(refresh_tokens)
            .where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return _rowcount(await self._session.execute(statement))


class SqlLoginCodeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, code_id: str, expires_at: datetime, now: datetime) -> bool:
        await self._session.execute(delete(used_login_codes).where(used_login_codes.c.expires_at <= now))
        values = {"code_id": code_id, "expires_at": expires_at}
        # Insert-or-ignore keeps the transaction usable when the code was already claimed.
        if self._session.get_bind().dialect.name == "sqlite":
            statement: Any = sqlite.insert(used_login_codes).values(values).on_conflict_do_nothing()
        else:
            statement = mysql.insert(used_login_codes).values(values).prefix_with("IGNORE")
        return _rowcount(await self._session.execute(statement)) == 1


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
