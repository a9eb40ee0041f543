"""A local identity provider for the embedded default: a person names themselves on a page.

It behaves like a real OAuth2 provider so the same callback flow serves both: its
authorization codes are short-lived signed tokens (so any instance can redeem them),
bound to the redirect URI and the PKCE challenge, and single-use through the database.
It proves nothing about who the person is, which is why settings refuse it off loopback.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pullit_domain.errors import Code, InvalidInput, Unauthenticated
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.identity import AuthorizationRequest
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory

ALGORITHM = "HS256"
AUDIENCE = "pullit-local-code"
AUTHORIZE_PATH = "/oauth2/local/authorize"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class LocalIdentityProvider:
    name = "local"

    def __init__(
        self,
        secret: str,
        clock: Clock,
        uow: UnitOfWorkFactory,
        authorize_url: str = AUTHORIZE_PATH,
        code_lifetime: timedelta = timedelta(minutes=2),
    ) -> None:
        # A key of its own, so a login code can never pass for an access token or vice versa.
        self._key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"pullit local login code").derive(
            secret.encode("utf-8")
        )
        self._clock = clock
        self._uow = uow
        self._authorize_url = authorize_url
        self._code_lifetime = code_lifetime

    def authorization_request(self, redirect_uri: str) -> AuthorizationRequest:
        state = secrets.token_urlsafe(24)
        verifier = secrets.token_urlsafe(48)
        query = urlencode(
            {
                "response_type": "code",
                "redirect_uri": redirect_uri,
                "state": state,
                "code_challenge": s256(verifier),
                "code_challenge_method": "S256",
            }
        )
        return AuthorizationRequest(url=f"{self._authorize_url}?{query}", state=state, code_verifier=verifier)

    def issue_code(self, name: str, email: str, redirect_uri: str, code_challenge: str) -> str:
        """What the sign-in page hands back to the browser once the person named themselves."""
        name, email = name.strip(), email.strip().lower()
        if not 0 < len(name) <= 100:
            raise InvalidInput("type a name of 1 to 100 characters", Code.INVALID_INPUT)
        if len(email) > 255 or not EMAIL.match(email):
            raise InvalidInput("type an email address such as you@example.com", Code.INVALID_INPUT)
        if not code_challenge:
            raise InvalidInput("the sign-in request has no PKCE code challenge", Code.INVALID_INPUT)
        now = self._clock.now()
        claims: dict[str, Any] = {
            "aud": AUDIENCE,
            "jti": uuid.uuid4().hex,
            "iat": int(now.timestamp()),
            "exp": int((now + self._code_lifetime).timestamp()),
            "name": name,
            "email": email,
            "redirect_uri": redirect_uri,
            "code_challenge": code_challenge,
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)

    async def exchange(self, code: str, redirect_uri: str, code_verifier: str) -> ExternalIdentity:
        try:
            claims = jwt.decode(
                code,
                self._key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                options={"require": ["exp", "jti", "aud"], "verify_exp": False},
            )
        except jwt.PyJWTError as error:
            raise Unauthenticated("the local sign-in code is invalid") from error
        now = self._clock.now()
        expires_at = now.fromtimestamp(int(claims["exp"]), now.tzinfo)
        if expires_at <= now:
            raise Unauthenticated("the local sign-in code has expired")
        if claims.get("redirect_uri") != redirect_uri:
            raise Unauthenticated("the local sign-in code was issued for another redirect URI")
        if not hmac.compare_digest(str(claims.get("code_challenge", "")), s256(code_verifier)):
            raise Unauthenticated("the PKCE code verifier does not match the challenge")
        async with self._uow() as uow:
            first_use = await uow.login_codes.claim(f"local:{claims['jti']}", expires_at, now)
            await uow.commit()
        if not first_use:
            raise Unauthenticated("the local sign-in code was already used")
        email = str(claims["email"])
        return ExternalIdentity(provider="local", subject=email, name=str(claims["name"]), email=email)
