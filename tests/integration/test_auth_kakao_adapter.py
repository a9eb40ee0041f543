"""The Kakao adapter against the fake Kakao server over real HTTP: refusals, timeouts, odd answers."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from pullit_adapters.kakao import KakaoIdentityProvider, identity_from_user_info
from pullit_domain.errors import Unauthenticated, Unavailable
from tests.support.fake_kakao import FakeKakao, running_fake_kakao

CALLBACK = "https://pullit.example/login/oauth2/code/kakao"


@pytest.fixture
def kakao() -> Iterator[FakeKakao]:
    with running_fake_kakao({CALLBACK}) as kakao:
        yield kakao


def _provider(kakao: FakeKakao, **overrides: object) -> KakaoIdentityProvider:
    arguments: dict[str, object] = {
        "client_id": kakao.client_id,
        "client_secret": kakao.client_secret,
        "authorize_url": kakao.authorize_url,
        "token_url": kakao.token_url,
        "userinfo_url": kakao.userinfo_url,
        "timeout": 2.0,
        **overrides,
    }
    return KakaoIdentityProvider(**arguments)  # type: ignore[arg-type]


async def _code(kakao: FakeKakao, authorize_url: str) -> str:
    import httpx

    async with httpx.AsyncClient() as browser:
        response = await browser.get(authorize_url)
    assert response.status_code == 302, response.text
    return httpx.URL(response.headers["location"]).params["code"]


async def test_a_code_becomes_the_kakao_identity(kakao: FakeKakao) -> None:
    provider = _provider(kakao)
    request = provider.authorization_request(CALLBACK)

    identity = await provider.exchange(await _code(kakao, request.url), CALLBACK, request.code_verifier)

    assert (identity.provider, identity.subject, identity.name, identity.email) == (
        "kakao",
        str(kakao.user.id),
        kakao.user.nickname,
        kakao.user.email,
    )


async def test_a_wrong_verifier_or_redirect_is_refused(kakao: FakeKakao) -> None:
    provider = _provider(kakao)
    request = provider.authorization_request(CALLBACK)

    with pytest.raises(Unauthenticated):
        await provider.exchange(await _code(kakao, request.url), CALLBACK, "not-the-verifier")
    with pytest.raises(Unauthenticated):
        await provider.exchange(await _code(kakao, request.url), CALLBACK + "/other", request.code_verifier)


async def test_a_silent_kakao_times_out_as_unavailable(kakao: FakeKakao) -> None:
    # Accepts connections (the kernel's backlog) but never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        provider = _provider(kakao, token_url=f"http://127.0.0.1:{port}/oauth/token", timeout=0.3)
        request = provider.authorization_request(CALLBACK)
        code = await _code(kakao, request.url)

        with pytest.raises(Unavailable):
            await provider.exchange(code, CALLBACK, request.code_verifier)


def test_user_info_without_email_or_with_an_unverified_one_gives_no_email() -> None:
    base = {"id": 7, "properties": {"nickname": "N"}}
    no_email = identity_from_user_info({**base, "kakao_account": {"has_email": False}})
    unverified = identity_from_user_info(
        {**base, "kakao_account": {"email": "a@b.c", "is_email_valid": True, "is_email_verified": False}}
    )

    assert no_email.email is None and no_email.name == "N"
    assert unverified.email is None
