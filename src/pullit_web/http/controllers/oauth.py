"""Sign-in with an OAuth2 provider: send the browser there, take it back, open a session.

Failures on the way back never show a problem document to a person mid-login: the
browser is sent to ``<frontend>/login?error=<reason>`` and nothing is created.
"""

from __future__ import annotations

import hmac
import logging
import re
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect

from pullit_domain.errors import Code, InvalidInput, Unauthenticated, Unavailable
from pullit_domain.use_cases.auth import ConsumeLoginState, SignIn
from pullit_web.http.languages import request_language
from pullit_web.http.login_cookie import COOKIE_NAME, BadLoginCookie, LoginCookies, LoginState
from pullit_web.http.openapi import problems
from pullit_web.http.rate_limits import Budget, rate_limited
from pullit_web.http.session_cookies import session_cookies
from pullit_web.http.sign_in_providers import IdentityProviders
from pullit_web.settings import Settings, origin_of

CALLBACK_PATH = "/login/oauth2/code"
log = logging.getLogger("pullit.sign_in")


def callback_url(request: Request[Any, Any, Any], settings: Settings, registration: str) -> str:
    """The redirect URI registered with the provider; it must be identical on every instance."""
    base = settings.public_url or str(request.base_url)
    return f"{base.rstrip('/')}{CALLBACK_PATH}/{registration}"


def with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *params.items()])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _same(given: str | None, expected: str) -> bool:
    # Bytes, because compare_digest refuses non-ASCII text and a query string may carry any.
    return given is not None and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class OAuthController(Controller):
    tags = ["sign-in"]

    @get(
        "/oauth2/authorization/{registration:str}",
        summary="Start signing in: 302 to the provider",
        middleware=rate_limited(Budget.SIGN_IN),
        status_code=302,
        responses=problems(400, 404, 429, signed_in=False),
    )
    async def authorize(
        self,
        request: Request[Any, Any, Any],
        registration: FromPath[str],
        identity_providers: NamedDependency[IdentityProviders],
        login_cookies: NamedDependency[LoginCookies],
        settings: NamedDependency[Settings],
        redirect_uri: FromQuery[str | None] = None,
    ) -> Redirect:
        provider = identity_providers.get(registration)
        target = redirect_uri or f"{settings.frontend_url.rstrip('/')}/login-success"
        if urlsplit(target).scheme not in ("http", "https") or origin_of(target) not in settings.redirect_origins:
            raise InvalidInput(
                "redirect_uri must point at an allowed frontend origin (PULLIT_LOGIN_REDIRECT_ORIGINS)",
                Code.INVALID_INPUT,
            )
        authorization = provider.authorization_request(callback_url(request, settings, registration))
        cookie = login_cookies.seal(registration, authorization.state, authorization.code_verifier, target)
        return Redirect(authorization.url, cookies=[cookie])

    @get(
        f"{CALLBACK_PATH}/{{registration:str}}",
        status_code=302,
        summary="The provider sends the browser back here; failures go to `<frontend>/login?error=`",
        responses=problems(400, signed_in=False),
    )
    async def callback(
        self,
        request: Request[Any, Any, Any],
        registration: FromPath[str],
        identity_providers: NamedDependency[IdentityProviders],
        login_cookies: NamedDependency[LoginCookies],
        consume_login_state: NamedDependency[ConsumeLoginState],
        sign_in: NamedDependency[SignIn],
        settings: NamedDependency[Settings],
        code: FromQuery[str | None] = None,
        oauth_state: Annotated[str | None, QueryParameter(name="state")] = None,
        error: FromQuery[str | None] = None,
    ) -> Redirect:
        def fail(reason: str, login: LoginState | None = None) -> Redirect:
            frontend = origin_of(login.redirect) if login else settings.frontend_url.rstrip("/")
            log.info("sign-in failed", extra={"fields": {"reason": reason, "provider": registration}})
            return Redirect(with_query(f"{frontend}/login", error=reason), cookies=[login_cookies.cleared()])

        sealed = request.cookies.get(COOKIE_NAME)
        if not sealed:
            return fail("missing_login_cookie")
        try:
            login = login_cookies.open(sealed)
        except BadLoginCookie:
            return fail("invalid_login_cookie")
        if login.provider != registration or not _same(oauth_state, login.state):
            return fail("state_mismatch", login)
        if error:
            return fail(re.sub(r"[^a-z_]", "", error.lower())[:40] or "provider_error", login)
        if not code:
            return fail("missing_code", login)
        if not await consume_login_state(login.state, login.expires_at):
            return fail("state_replayed", login)
        try:
            provider = identity_providers.get(registration)
            identity = await provider.exchange(code, callback_url(request, settings, registration), login.verifier)
        except Unauthenticated:
            return fail("login_failed", login)
        except Unavailable:
            return fail("provider_unavailable", login)
        # A browser's Accept-Language is the best first guess of the member's language.
        language = request_language(request) if request.headers.get("accept-language") else None
        session = await sign_in(identity, language)
        return Redirect(
            with_query(login.redirect, accessToken=session.access_token),
            cookies=[login_cookies.cleared(), *session_cookies(settings, session)],
        )
