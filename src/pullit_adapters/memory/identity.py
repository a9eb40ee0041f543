from __future__ import annotations

import secrets
from urllib.parse import urlencode

from pullit_domain.errors import Unauthenticated
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.ports.identity import AuthorizationRequest


class StaticIdentityProvider:
    """Knows a fixed set of codes, each standing for one person. Codes work once."""

    name = "static"

    def __init__(self, identities: dict[str, ExternalIdentity] | None = None) -> None:
        self.identities = dict(identities or {})

    def authorization_request(self, redirect_uri: str) -> AuthorizationRequest:
        state = secrets.token_urlsafe(16)
        query = urlencode({"redirect_uri": redirect_uri, "state": state})
        return AuthorizationRequest(url=f"static://authorize?{query}", state=state, code_verifier="")

    async def exchange(self, code: str, redirect_uri: str, code_verifier: str) -> ExternalIdentity:
        identity = self.identities.pop(code, None)
        if identity is None:
            raise Unauthenticated("unknown or used authorization code")
        return identity
