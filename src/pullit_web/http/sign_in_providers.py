"""What the sign-in routes are handed: the identity provider of each registration
(``/oauth2/authorization/<name>``) and, when enabled, the local sign-in page's provider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pullit_domain.errors import NotFound
from pullit_domain.ports.identity import IdentityProvider


class LocalSignIn(Protocol):
    """What the local sign-in page needs of the local provider: a one-time code for a typed identity."""

    def issue_code(self, name: str, email: str, redirect_uri: str, code_challenge: str) -> str: ...


@dataclass(frozen=True)
class IdentityProviders:
    registrations: dict[str, IdentityProvider]
    local: LocalSignIn | None

    def get(self, registration: str) -> IdentityProvider:
        provider = self.registrations.get(registration)
        if provider is None:
            raise NotFound(
                "sign-in with {registration} is not configured on this service", registration=repr(registration)
            )
        return provider
