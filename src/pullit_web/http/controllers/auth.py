"""Keeping a session alive (refresh-token rotation) and ending it."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency

from pullit_domain.errors import Code, InvalidInput
from pullit_domain.use_cases.auth import RefreshSession, SignOut
from pullit_web.http.auth import SignedInRequest
from pullit_web.http.openapi import SIGNED_IN_SECURITY, empty, problems
from pullit_web.http.session_cookies import REFRESH_COOKIE, cleared_session_cookies, session_cookies
from pullit_web.settings import Settings


class AccessTokenBody(msgspec.Struct, rename="camel"):
    access_token: str


class SessionRefreshController(Controller):
    """Public: the refresh cookie is the proof."""

    path = "/auth"
    tags = ["sign-in"]

    @post(
        "/refresh",
        status_code=200,
        summary="New access token and a new (rotated) refresh cookie",
        responses=problems(400, 401, 503, signed_in=False),
    )
    async def refresh(
        self,
        request: Request[Any, Any, Any],
        refresh_session: NamedDependency[RefreshSession],
        settings: NamedDependency[Settings],
    ) -> Response[AccessTokenBody]:
        secret = request.cookies.get(REFRESH_COOKIE)
        if not secret:
            raise InvalidInput("no refresh_token cookie was sent; sign in first", Code.REFRESH_MISSING)
        session = await refresh_session(secret)
        return Response(AccessTokenBody(session.access_token), cookies=session_cookies(settings, session))


class SignOutController(Controller):
    path = "/auth"
    tags = ["sign-in"]

    @post(
        "/logout",
        status_code=204,
        summary="Revoke this browser's refresh-token family",
        responses=problems() | empty(204, "Signed out; the refresh cookie is expired"),
        security=SIGNED_IN_SECURITY,
    )
    async def logout(
        self,
        request: SignedInRequest,
        sign_out: NamedDependency[SignOut],
        settings: NamedDependency[Settings],
    ) -> Response[None]:
        await sign_out(request.user.member_id, request.cookies.get(REFRESH_COOKIE))
        return Response(None, status_code=204, cookies=cleared_session_cookies(settings))
