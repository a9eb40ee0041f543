"""Who is calling: one middleware verifies the access token once per request.

It is the middleware of the signed-in routes (``pullit_web.http.routes``, which also lists the
public ones). It runs before the handler reads the body, so an anonymous caller gets 401
whatever it sent. It puts the verified ``AccessClaims`` on ``request.user`` (and the token on
``request.auth``); controllers, rate limits, the SSE route and the admin guard read that and
nothing else parses tokens.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import DefineMiddleware
from litestar.middleware.authentication import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import Scope

from pullit_domain.errors import Code, Forbidden, Unauthenticated
from pullit_domain.ports.tokens import AccessClaims
from pullit_domain.use_cases.members import GetMember
from pullit_web.http.raw_headers import raw_header
from pullit_web.http.session_cookies import ACCESS_COOKIE

Principal = AccessClaims
# What a signed-in route's handler takes: ``request.user`` is the verified caller. Not a Litestar
# dependency: a handler asking for two dependencies makes Litestar resolve them in a task group,
# on every request (litestar-org/litestar#4563).
SignedInRequest = Request[Principal, str, State]

# Opt of the one route that also takes the token from a cookie (an EventSource cannot send headers).
ACCESS_TOKEN_COOKIE_OPT = "access_token_cookie"


def _bearer(scope: Scope) -> str | None:
    value = raw_header(scope, b"authorization")
    if value is None:
        return None
    scheme, _, token = value.decode("latin-1").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class BearerAuthentication(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        token = _bearer(connection.scope)
        if token is None and connection.route_handler.opt.get(ACCESS_TOKEN_COOKIE_OPT):
            token = connection.cookies.get(ACCESS_COOKIE, "").strip() or None
            if token is None:
                raise Unauthenticated("sign in first: no access token header or cookie was sent", Code.AUTH_REQUIRED)
        if token is None:
            raise Unauthenticated("sign in first: no Bearer access token was sent", Code.AUTH_REQUIRED)
        claims = connection.app.state.container.access_tokens().verify(token)
        return AuthenticationResult(user=claims, auth=token)


def authentication() -> DefineMiddleware:
    return DefineMiddleware(BearerAuthentication)


def caller(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """The verified caller, or ``None`` on a public route."""
    user = connection.scope.get("user")
    return user if isinstance(user, AccessClaims) else None


async def require_admin(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: the caller's *current* role must be ADMIN (read from the database, not the token)."""
    principal = caller(connection)
    if principal is None:
        raise Unauthenticated("sign in first: no Bearer access token was sent", Code.AUTH_REQUIRED)
    get_member: GetMember = connection.app.state.container.get_member()
    member = await get_member(principal.member_id)
    if not member.is_admin:
        raise Forbidden("this needs the ADMIN role")
