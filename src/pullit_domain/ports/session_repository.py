"""Sign-in state kept between requests: refresh tokens and consumed one-time codes."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pullit_domain.model.refresh_token import RefreshToken


class RefreshTokenRepository(Protocol):
    """Hashed refresh tokens grouped in families.

    ``mark_rotated`` is a compare-and-set: it succeeds (``True``) only for a token that is
    neither rotated nor revoked, so two concurrent refreshes with one token cannot both win.
    """

    async def add(self, token: RefreshToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None: ...

    async def mark_rotated(self, token_id: int, at: datetime) -> bool: ...

    async def revoke_family(self, family_id: str, at: datetime) -> int: ...


class LoginCodeRepository(Protocol):
    """One-time login values (local authorization codes, OAuth states) already consumed.

    ``claim`` records ``code_id`` and returns ``True`` the first time, ``False`` ever after
    (until ``expires_at``, after which the value is refused by its own expiry anyway).
    """

    async def claim(self, code_id: str, expires_at: datetime, now: datetime) -> bool: ...
