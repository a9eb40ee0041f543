"""The local identity provider's codes: signed, short-lived, bound to redirect URI and PKCE, single-use."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pullit_adapters.local_identity import LocalIdentityProvider, s256
from pullit_adapters.memory import InMemoryDatabase, ManualClock
from pullit_domain.errors import InvalidInput, Unauthenticated

SECRET = "unit-test-secret-that-is-long-enough-0123456789"
CALLBACK = "http://127.0.0.1:8000/login/oauth2/code/local"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def provider(clock: ManualClock) -> LocalIdentityProvider:
    return LocalIdentityProvider(SECRET, clock, InMemoryDatabase().unit_of_work)


async def test_a_code_names_the_person_once(provider: LocalIdentityProvider) -> None:
    request = provider.authorization_request(CALLBACK)
    code = provider.issue_code(" Minji ", "Minji@Example.com", CALLBACK, s256(request.code_verifier))

    identity = await provider.exchange(code, CALLBACK, request.code_verifier)

    assert (identity.provider, identity.subject, identity.name, identity.email) == (
        "local",
        "minji@example.com",
        "Minji",
        "minji@example.com",
    )
    with pytest.raises(Unauthenticated, match="already used"):
        await provider.exchange(code, CALLBACK, request.code_verifier)


async def test_another_instance_with_the_same_secret_and_database_redeems_it(clock: ManualClock) -> None:
    database = InMemoryDatabase()
    one = LocalIdentityProvider(SECRET, clock, database.unit_of_work)
    other = LocalIdentityProvider(SECRET, clock, database.unit_of_work)
    request = one.authorization_request(CALLBACK)
    code = one.issue_code("A", "a@example.com", CALLBACK, s256(request.code_verifier))

    assert (await other.exchange(code, CALLBACK, request.code_verifier)).email == "a@example.com"
    with pytest.raises(Unauthenticated):
        await one.exchange(code, CALLBACK, request.code_verifier)


async def test_a_code_is_refused_for_another_redirect_verifier_key_or_after_two_minutes(
    provider: LocalIdentityProvider, clock: ManualClock
) -> None:
    request = provider.authorization_request(CALLBACK)

    def code() -> str:
        return provider.issue_code("A", "a@example.com", CALLBACK, s256(request.code_verifier))

    with pytest.raises(Unauthenticated, match="redirect URI"):
        await provider.exchange(code(), CALLBACK + "x", request.code_verifier)
    with pytest.raises(Unauthenticated, match="PKCE"):
        await provider.exchange(code(), CALLBACK, "another-verifier")
    stranger = LocalIdentityProvider(
        "another-secret-that-is-long-enough-0123456", clock, InMemoryDatabase().unit_of_work
    )
    with pytest.raises(Unauthenticated, match="invalid"):
        await stranger.exchange(code(), CALLBACK, request.code_verifier)
    late = code()
    clock.advance(timedelta(minutes=2))
    with pytest.raises(Unauthenticated, match="expired"):
        await provider.exchange(late, CALLBACK, request.code_verifier)


@pytest.mark.parametrize(("name", "email"), [("", "a@example.com"), ("A", "no-at-sign"), ("x" * 101, "a@example.com")])
def test_a_blank_name_or_bad_email_gets_no_code(provider: LocalIdentityProvider, name: str, email: str) -> None:
    with pytest.raises(InvalidInput):
        provider.issue_code(name, email, CALLBACK, "challenge")


def test_the_authorization_url_carries_an_s256_challenge_of_the_verifier(provider: LocalIdentityProvider) -> None:
    request = provider.authorization_request(CALLBACK)

    assert f"code_challenge={s256(request.code_verifier)}" in request.url
    assert "code_challenge_method=S256" in request.url
    assert request.code_verifier not in request.url
