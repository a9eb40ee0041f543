"""Kakao Login (OAuth2 authorization code + PKCE S256) through authlib's httpx client."""

from __future__ import annotations

import warnings
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.deprecate import AuthlibDeprecationWarning
from authlib.oauth2.client import OAuth2Client

from pullit_domain.errors import Unauthenticated, Unavailable
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.ports.identity import AuthorizationRequest

with warnings.catch_warnings():
    # authlib 1.8+ prefers httpx2 and warns once on import when it runs on httpx, which we use on purpose.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError

SCOPES = "profile_nickname account_email"
DEFAULT_AUTHORIZE_URL = "https://kauth.kakao.com/oauth/authorize"
DEFAULT_TOKEN_URL = "https://kauth.kakao.com/oauth/token"
DEFAULT_USERINFO_URL = "https://kapi.kakao.com/v2/user/me"


class KakaoIdentityProvider:
    name = "kakao"

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        authorize_url: str = DEFAULT_AUTHORIZE_URL,
        token_url: str = DEFAULT_TOKEN_URL,
        userinfo_url: str = DEFAULT_USERINFO_URL,
        timeout: float = 5.0,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._authorize_url = authorize_url
        self._token_url = token_url
        self._userinfo_url = userinfo_url
        self._timeout = httpx.Timeout(timeout)
        # Only builds URLs (no session, no I/O): safe to share between concurrent requests.
        self._url_builder = OAuth2Client(None, client_id=client_id, scope=SCOPES, code_challenge_method="S256")

    def authorization_request(self, redirect_uri: str) -> AuthorizationRequest:
        verifier = generate_token(64)
        url, state = self._url_builder.create_authorization_url(
            self._authorize_url, code_verifier=verifier, redirect_uri=redirect_uri
        )
        return AuthorizationRequest(url=url, state=state, code_verifier=verifier)

    async def exchange(self, code: str, redirect_uri: str, code_verifier: str) -> ExternalIdentity:
        # One client per login: the client keeps the fetched token, which must not leak between people.
        async with AsyncOAuth2Client(
            client_id=self._client_id,
            client_secret=self._client_secret,
            token_endpoint_auth_method="client_secret_post",
            scope=SCOPES,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=self._timeout,
        ) as client:
            try:
                await client.fetch_token(
                    self._token_url,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=code_verifier,
                )
                response = await client.get(self._userinfo_url)
            except OAuthError as error:
                raise Unauthenticated("Kakao refused the authorization code ({error})", error=error.error) from error
            except httpx.HTTPStatusError as error:
                raise Unavailable("Kakao answered {status_code}", status_code=error.response.status_code) from error
            except httpx.HTTPError as error:
                raise Unavailable("Kakao is unreachable ({kind})", kind=type(error).__name__) from error
            except ValueError as error:
                raise Unavailable("Kakao's token endpoint answered something that is not JSON") from error
        if response.status_code in (401, 403):
            raise Unauthenticated(
                "Kakao refused the user-info request ({status_code})", status_code=response.status_code
            )
        if response.status_code != 200:
            raise Unavailable("Kakao user-info answered {status_code}", status_code=response.status_code)
        return identity_from_user_info(response.json())


def identity_from_user_info(body: dict[str, Any]) -> ExternalIdentity:
    """``/v2/user/me`` to an identity. An unverified email is dropped: linking accounts by an
    address nobody proved to own would let a stranger into someone else's account."""
    account = body.get("kakao_account") or {}
    profile = account.get("profile") or {}
    properties = body.get("properties") or {}
    name = profile.get("nickname") or properties.get("nickname") or "Kakao user"
    email = account.get("email")
    verified = account.get("is_email_valid") is True and account.get("is_email_verified") is True
    if "id" not in body:
        raise Unavailable("Kakao user-info has no id")
    return ExternalIdentity(
        provider="kakao",
        subject=str(body["id"]),
        name=str(name)[:100],
        email=str(email).lower() if email and verified else None,
    )
