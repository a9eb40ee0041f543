"""Who is calling: the Bearer access token on ``/api/**`` routes.

Controllers ask for ``principal: Principal`` and get the verified caller; a missing or
bad token never reaches them (401 problem with TOKEN_001/TOKEN_002/AUTH007/AUTH001).
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from litestar.params import SkipValidation

from pullit_domain.errors import Code, Forbidden, Unauthenticated
from pullit_domain.ports.tokens import AccessClaims, AccessTokens
from pullit_domain.use_cases.members import GetMember

Principal = AccessClaims


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def principal_from_request(
    request: Request[Any, Any, Any], access_tokens: NamedDependency[SkipValidation[AccessTokens]]
) -> Principal:
    """Litestar dependency ``principal``."""
    token = bearer_token(request)
    if token is None:
        raise Unauthenticated("sign in first: no Bearer access token was sent", Code.AUTH_REQUIRED)
    return access_tokens.verify(token)


async def require_admin(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: the caller's *current* role must be ADMIN (read from the database, not the token)."""
    container = connection.app.state.container
    token = bearer_token(connection)
    if token is None:
        raise Unauthenticated("sign in first: no Bearer access token was sent", Code.AUTH_REQUIRED)
    claims = container.access_tokens().verify(token)
    get_member: GetMember = container.get_member()
    member = await get_member(claims.member_id)
    if not member.is_admin:
        raise Forbidden("this needs the ADMIN role")
