"""The short-lived login cookie: OAuth state, PKCE verifier and where to send the browser.

Sealed with AES-GCM (encrypted *and* authenticated) under a key derived from
``PULLIT_SECRET_KEY``, so any instance can open what another one sealed and nothing of
the login lives in server memory. It expires after ten minutes and is cleared on use.
"""

from __future__ import annotations

import base64
import binascii
import os
from datetime import UTC, datetime, timedelta

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from litestar.datastructures import Cookie

from pullit_domain.ports.clock import Clock

COOKIE_NAME = "pullit_login"
# Only the callback needs it; the browser sends it nowhere else.
COOKIE_PATH = "/login/oauth2/code"
LIFETIME = timedelta(minutes=10)
_AAD = b"pullit login cookie v1"


class LoginState(msgspec.Struct, frozen=True):
    provider: str
    state: str
    verifier: str
    redirect: str
    expires: int

    @property
    def expires_at(self) -> datetime:
        return datetime.fromtimestamp(self.expires, UTC)


class BadLoginCookie(ValueError):
    """The cookie was tampered with, sealed under another key, or has expired."""


class LoginCookies:
    def __init__(self, secret: str, clock: Clock, lifetime: timedelta = LIFETIME) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"pullit login cookie").derive(
            secret.encode("utf-8")
        )
        self._aead = AESGCM(key)
        self._clock = clock
        self._lifetime = lifetime

    def seal(self, provider: str, state: str, verifier: str, redirect: str) -> Cookie:
        expires = int((self._clock.now() + self._lifetime).timestamp())
        payload = msgspec.json.encode(LoginState(provider, state, verifier, redirect, expires))
        nonce = os.urandom(12)
        sealed = base64.urlsafe_b64encode(nonce + self._aead.encrypt(nonce, payload, _AAD))
        # Without padding: a '=' in a cookie value makes it travel quoted.
        value = sealed.rstrip(b"=").decode("ascii")
        return self._cookie(value, int(self._lifetime.total_seconds()))

    def open(self, value: str) -> LoginState:
        try:
            raw = base64.urlsafe_b64decode(value.encode("ascii") + b"=" * (-len(value) % 4))
            payload = self._aead.decrypt(raw[:12], raw[12:], _AAD)
            login = msgspec.json.decode(payload, type=LoginState)
        except (InvalidTag, ValueError, binascii.Error, msgspec.DecodeError) as error:
            raise BadLoginCookie("the login cookie is not ours") from error
        if login.expires_at <= self._clock.now():
            raise BadLoginCookie("the login cookie has expired")
        return login

    def cleared(self) -> Cookie:
        return self._cookie("", 0)

    @staticmethod
    def _cookie(value: str, max_age: int) -> Cookie:
        # Lax, not Strict: it must ride along on the top-level redirect back from the provider's site.
        return Cookie(
            key=COOKIE_NAME,
            value=value,
            max_age=max_age,
            path=COOKIE_PATH,
            secure=True,
            httponly=True,
            samesite="lax",
        )
