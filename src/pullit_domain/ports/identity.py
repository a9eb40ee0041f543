from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pullit_domain.model.member import ExternalIdentity


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the browser, and what must come back with it.

    The caller keeps ``state`` and ``code_verifier`` (in a signed cookie, never in
    server memory) and hands them to ``exchange`` when the provider redirects back.
    """

    url: str
    state: str
    code_verifier: str


class IdentityProvider(Protocol):
    """An OAuth2 provider that tells us who a person is (Kakao, or a local one).

    Contract:
    - ``authorization_request`` builds the provider's authorize URL with a fresh random
      ``state`` and a PKCE S256 challenge for a fresh verifier; it performs no I/O.
    - ``exchange`` trades an authorization code (with the same ``redirect_uri`` and the
      verifier) for the person's ``ExternalIdentity``. A refused, reused or expired code
      raises ``pullit_domain.errors.Unauthenticated``; an unreachable provider raises
      ``pullit_domain.errors.Unavailable``. Every call has a timeout.
    """

    name: str

    def authorization_request(self, redirect_uri: str) -> AuthorizationRequest: ...

    async def exchange(self, code: str, redirect_uri: str, code_verifier: str) -> ExternalIdentity: ...
