"""Which identity provider serves which sign-in registration (``/oauth2/authorization/<name>``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pullit_adapters.kakao import KakaoIdentityProvider
from pullit_adapters.local_identity import LocalIdentityProvider
from pullit_domain.errors import NotFound
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.identity import IdentityProvider
from pullit_domain.ports.repository import UnitOfWorkFactory
from pullit_web.paths import LOCAL_SIGN_IN_PATH
from pullit_web.settings import Settings


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


def build_identity_providers(settings: Settings, clock: Clock, uow: UnitOfWorkFactory) -> IdentityProviders:
    """Kakao when a client is configured; the local page (when enabled) under ``local``, and also
    under ``kakao`` when Kakao is not configured, so the frontend's Kakao button works locally."""
    local = (
        LocalIdentityProvider(settings.secret_key, clock, uow, authorize_url=LOCAL_SIGN_IN_PATH)
        if settings.local_login_enabled
        else None
    )
    registrations: dict[str, IdentityProvider] = {}
    if settings.kakao_client_id:
        registrations["kakao"] = KakaoIdentityProvider(
            client_id=settings.kakao_client_id,
            client_secret=settings.kakao_client_secret,
            authorize_url=settings.kakao_authorize_url,
            token_url=settings.kakao_token_url,
            userinfo_url=settings.kakao_userinfo_url,
            timeout=settings.kakao_timeout_seconds,
        )
    if local is not None:
        registrations.setdefault("kakao", local)
        registrations["local"] = local
    return IdentityProviders(registrations, local)
