from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pullit_domain.model.member import Role


@dataclass(frozen=True)
class AccessClaims:
    """What a verified access token says. The role is only a hint: authorisation that
    depends on it reads the member again, so a revoked role takes effect at once."""

    member_id: int
    role: Role
    token_id: str
    expires_at: datetime


class AccessTokens(Protocol):
    """Issues and verifies short-lived access tokens.

    Contract: ``issue`` returns a signed token for the member that expires after the
    configured lifetime. ``verify`` returns its claims, or raises
    ``pullit_domain.errors.Unauthenticated`` with code ``TOKEN_001`` (expired),
    ``TOKEN_002`` (malformed, bad signature, wrong issuer/audience/algorithm) or
    ``AUTH007`` (a valid token that is not an access token).
    """

    def issue(self, member_id: int, role: Role) -> str: ...

    def verify(self, token: str) -> AccessClaims: ...
