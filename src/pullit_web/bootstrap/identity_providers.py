"""Which identity provider serves which sign-in registration: Kakao, the local page, or both."""

from __future__ import annotations

from pullit_adapters.kakao import KakaoIdentityProvider
from pullit_adapters.local_identity import LocalIdentityProvider
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.identity import IdentityProvider
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_web.http.paths import LOCAL_SIGN_IN_PATH
from pullit_web.http.sign_in_providers import IdentityProviders
from pullit_web.settings import Settings


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
