"""Access tokens as HS256 JWTs (PyJWT), with the algorithm pinned."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from pullit_domain.errors import Code, Unauthenticated
from pullit_domain.model.member import Role
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.tokens import AccessClaims

ALGORITHM = "HS256"
ACCESS = "access"
VERIFIED_CACHE_SIZE = 4096


class JwtAccessTokens:
    def __init__(
        self,
        secret: str,
        clock: Clock,
        issuer: str = "pullit",
        audience: str = "pullit-web",
        lifetime: timedelta = timedelta(minutes=30),
    ) -> None:
        self._secret = secret
        self._clock = clock
        self._issuer = issuer
        self._audience = audience
        self._lifetime = lifetime
        # token -> its verified claims. A signed token never changes, so a client's next request
        # skips the signature check (most of the cost of authenticating); expiry is still
        # checked against the clock every time.
        self._verified: dict[str, AccessClaims] = {}

    def issue(self, member_id: int, role: Role) -> str:
        now = self._clock.now()
        claims: dict[str, Any] = {
            "sub": str(member_id),
            "memberId": member_id,
            "role": role.value,
            "tokenType": ACCESS,
            "iss": self._issuer,
            "aud": self._audience,
            "iat": int(now.timestamp()),
            "exp": int((now + self._lifetime).timestamp()),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify(self, token: str) -> AccessClaims:
        claims = self._verified.get(token)
        if claims is None:
            claims = self._verify_signed(token)
            if len(self._verified) >= VERIFIED_CACHE_SIZE:
                del self._verified[next(iter(self._verified))]  # the oldest entry
            self._verified[token] = claims
        elif claims.expires_at <= self._clock.now():
            del self._verified[token]
            raise Unauthenticated("the access token has expired", Code.TOKEN_EXPIRED)
        return claims

    def _verify_signed(self, token: str) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iat", "sub", "iss", "aud", "jti"], "verify_exp": False},
            )
        except jwt.PyJWTError as error:
            raise Unauthenticated("the access token is invalid", Code.TOKEN_INVALID) from error
        # Expiry is checked against the Clock port, so simulated time applies to tokens too.
        expires_at = datetime.fromtimestamp(claims["exp"], UTC)
        if expires_at <= self._clock.now():
            raise Unauthenticated("the access token has expired", Code.TOKEN_EXPIRED)
        if claims.get("tokenType") != ACCESS:
            raise Unauthenticated("this is not an access token", Code.NOT_ACCESS_TOKEN)
        try:
            return AccessClaims(
                member_id=int(claims["memberId"]),
                role=Role(claims["role"]),
                token_id=str(claims["jti"]),
                expires_at=expires_at,
            )
        except (KeyError, ValueError) as error:
            raise Unauthenticated("the access token is invalid", Code.TOKEN_INVALID) from error
