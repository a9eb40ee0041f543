"""Refresh tokens: opaque secrets the browser keeps, that we only ever store hashed.

Every sign-in starts a *family*; each refresh replaces the presented token by a new one
of the same family. A token that was already replaced and shows up again was stolen or
replayed, so the whole family is revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime


def new_refresh_secret() -> str:
    """256 random bits, URL-safe: what goes into the cookie."""
    return secrets.token_urlsafe(32)


def hash_refresh_secret(secret: str) -> str:
    # A plain SHA-256 suffices: the secret has 256 bits of entropy, nothing to brute-force.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_family_id() -> str:
    return secrets.token_hex(16)


@dataclass(eq=False)
class RefreshToken:
    member_id: int
    family_id: str
    token_hash: str
    issued_at: datetime
    expires_at: datetime
    rotated_at: datetime | None = None
    revoked_at: datetime | None = None
    id: int | None = field(default=None)

    @property
    def spent(self) -> bool:
        """Replaced by a newer token, or revoked: presenting it again is reuse."""
        return self.rotated_at is not None or self.revoked_at is not None

    def expired(self, now: datetime) -> bool:
        return self.expires_at <= now


@dataclass(eq=False)
class UsedLoginCode:
    """A one-time login value (local authorization code, OAuth state) that was consumed."""

    code_id: str
    expires_at: datetime
    id: int | None = field(default=None)
