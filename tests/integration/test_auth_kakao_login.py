"""Signing in with Kakao the way a browser does: app -> fake Kakao (real HTTP) -> app -> frontend."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pullit_web.bootstrap.app import create_app
from pullit_web.http.login_cookie import COOKIE_NAME
from pullit_web.settings import Settings
from tests.support.app import make_settings
from tests.support.browser import (
    APP_URL,
    FRONTEND,
    LOGIN_SUCCESS,
    access_token_of,
    app_client,
    back_to_app,
    kakao_login,
    query_of,
    set_cookie_headers,
    start,
    through_provider,
)
from tests.support.fake_kakao import FakeKakao, KakaoUser, running_fake_kakao

CALLBACK = f"{APP_URL}/login/oauth2/code/kakao"


@pytest.fixture
def kakao() -> Iterator[FakeKakao]:
    with running_fake_kakao({CALLBACK}) as kakao:
        # A person of their own per test, since the SQLite file is shared by the session.
        number = secrets.randbelow(10**9)
        kakao.user = KakaoUser(number, f"카카오{number}", f"kakao{number}@kakao.example")
        yield kakao


@pytest.fixture
def kakao_settings(tmp_path: Path, sqlite_url: str, kakao: FakeKakao) -> Settings:
    return make_settings(tmp_path, database_url=sqlite_url, frontend_url=FRONTEND, **kakao.settings())


@pytest.fixture
async def browser(kakao_settings: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with app_client(create_app(kakao_settings)) as client:
        yield client


async def _member_count(app: Litestar, email: str) -> int:
    async with app.state.container.unit_of_work() as uow:
        return 0 if await uow.members.get_by_email(email) is None else 1


def _error_of(location: str) -> str:
    assert location.startswith(f"{FRONTEND}/login?"), location
    return query_of(location)["error"]


async def test_the_full_browser_path_signs_a_kakao_user_in(
    browser: AsyncTestClient[Litestar], kakao: FakeKakao
) -> None:
    authorize_url = await start(browser)
    authorize = query_of(authorize_url)
    assert authorize_url.startswith(kakao.authorize_url + "?")
    assert authorize["redirect_uri"] == CALLBACK
    assert authorize["scope"] == "profile_nickname account_email"
    assert authorize["code_challenge_method"] == "S256" and len(authorize["code_challenge"]) == 43
    assert authorize["state"]

    finished = await back_to_app(browser, await through_provider(authorize_url))
    access_token = access_token_of(finished)

    refresh = set_cookie_headers(finished, "refresh_token")
    assert len(refresh) == 1
    assert {"HttpOnly", "Secure", "SameSite=None", "Path=/auth"} <= {p.strip() for p in refresh[0].split(";")}
    access_cookie = set_cookie_headers(finished, "access_token")[0]
    assert {"HttpOnly", "Secure", "SameSite=None", "Path=/api/notifications", "Max-Age=1800"} <= {
        p.strip() for p in access_cookie.split(";")
    }
    assert "Max-Age=0" in set_cookie_headers(finished, COOKIE_NAME)[0]
    token_request = kakao.token_requests[-1]
    assert token_request["client_secret"] == kakao.client_secret
    assert token_request["code_verifier"]

    me = await browser.get("/api/members/me", headers={"Authorization": f"Bearer {access_token}"})
    assert me.status_code == 200
    assert me.json() == {"id": me.json()["id"], "name": kakao.user.nickname, "email": kakao.user.email}


async def test_signing_in_again_finds_the_same_member(browser: AsyncTestClient[Litestar]) -> None:
    first = access_token_of(await kakao_login(browser))
    second = access_token_of(await kakao_login(browser))

    ids = []
    for token in (first, second):
        me = await browser.get("/api/members/me", headers={"Authorization": f"Bearer {token}"})
        ids.append(me.json()["id"])
    assert ids[0] == ids[1]


async def test_a_login_started_on_one_instance_finishes_on_another(kakao_settings: Settings) -> None:
    one, other = create_app(kakao_settings), create_app(kakao_settings)
    async with app_client(one) as first, app_client(other) as second:
        authorize_url = await start(first)
        # The load balancer sends the callback elsewhere; the browser brings its cookies along.
        second.cookies = first.cookies
        finished = await back_to_app(second, await through_provider(authorize_url))
        token = access_token_of(finished)

        me = await first.get("/api/members/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200


async def test_a_wrong_state_creates_nothing(browser: AsyncTestClient[Litestar], kakao: FakeKakao) -> None:
    callback = await through_provider(await start(browser))
    forged = callback.replace(f"state={query_of(callback)['state']}", "state=forged")

    finished = await back_to_app(browser, forged)

    assert _error_of(finished.headers["location"]) == "state_mismatch"
    assert "Max-Age=0" in set_cookie_headers(finished, COOKIE_NAME)[0]
    assert not set_cookie_headers(finished, "refresh_token")
    assert kakao.token_requests == []
    assert await _member_count(browser.app, kakao.user.email or "") == 0


async def test_a_state_of_any_text_is_a_mismatch_not_an_error(browser: AsyncTestClient[Litestar]) -> None:
    await start(browser)

    finished = await back_to_app(browser, f"{CALLBACK}?code=x&state=%EC%83%81%ED%83%9C")

    assert _error_of(finished.headers["location"]) == "state_mismatch"


async def test_a_replayed_callback_is_refused(browser: AsyncTestClient[Litestar], kakao: FakeKakao) -> None:
    authorize_url = await start(browser)
    sealed = browser.cookies.get(COOKIE_NAME)
    callback = await through_provider(authorize_url)
    await back_to_app(browser, callback)

    # An attacker who captured both the callback URL and the cookie sends them again.
    browser.cookies.set(COOKIE_NAME, sealed or "", domain=urlsplit(APP_URL).hostname or "", path="/login/oauth2/code")
    replay = await back_to_app(browser, callback)

    assert _error_of(replay.headers["location"]) == "state_replayed"
    assert len(kakao.token_requests) == 1


async def test_a_callback_without_the_login_cookie_is_refused(kakao_settings: Settings, kakao: FakeKakao) -> None:
    async with app_client(create_app(kakao_settings)) as starter:
        callback = await through_provider(await start(starter))
    async with app_client(create_app(kakao_settings)) as stranger:
        finished = await back_to_app(stranger, callback)

    assert _error_of(finished.headers["location"]) == "missing_login_cookie"
    assert kakao.token_requests == []
    assert await _member_count(stranger.app, kakao.user.email or "") == 0


async def test_a_tampered_login_cookie_is_refused(browser: AsyncTestClient[Litestar]) -> None:
    callback = await through_provider(await start(browser))
    sealed = browser.cookies.get(COOKIE_NAME) or ""
    flipped = sealed[:30] + ("A" if sealed[30] != "A" else "B") + sealed[31:]
    browser.cookies.set(COOKIE_NAME, flipped, domain=urlsplit(APP_URL).hostname or "", path="/login/oauth2/code")

    finished = await back_to_app(browser, callback)

    assert _error_of(finished.headers["location"]) == "invalid_login_cookie"


async def test_a_code_used_twice_is_refused_by_kakao(browser: AsyncTestClient[Litestar], kakao: FakeKakao) -> None:
    used = await through_provider(await start(browser))
    await back_to_app(browser, used)
    # A new login (new state, new cookie) that smuggles in the already redeemed code.
    fresh = await through_provider(await start(browser))
    smuggled = fresh.replace(f"code={query_of(fresh)['code']}", f"code={query_of(used)['code']}")

    finished = await back_to_app(browser, smuggled)

    assert _error_of(finished.headers["location"]) == "login_failed"
    assert not set_cookie_headers(finished, "refresh_token")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/login-success",
        "http://localhost:5173.evil.example/login-success",
        "//evil.example/login-success",
        "javascript:alert(1)",
    ],
)
async def test_a_redirect_target_outside_the_allow_list_is_a_400(
    browser: AsyncTestClient[Litestar], target: str
) -> None:
    response = await browser.get("/oauth2/authorization/kakao", params={"redirect_uri": target})

    assert response.status_code == 400
    assert response.json()["code"] == "COMMON_001"
    assert not set_cookie_headers(response, COOKIE_NAME)


async def test_a_person_who_declines_at_kakao_lands_on_the_login_page(
    browser: AsyncTestClient[Litestar],
) -> None:
    state = query_of(await start(browser))["state"]

    finished = await back_to_app(browser, f"{CALLBACK}?error=access_denied&error_description=User+denied&state={state}")

    assert _error_of(finished.headers["location"]) == "access_denied"


async def test_a_wrong_client_secret_fails_the_login(tmp_path: Path, sqlite_url: str, kakao: FakeKakao) -> None:
    settings = make_settings(
        tmp_path, database_url=sqlite_url, **{**kakao.settings(), "kakao_client_secret": "not-the-secret"}
    )
    async with app_client(create_app(settings)) as browser:
        finished = await kakao_login(browser)

    assert _error_of(finished.headers["location"]) == "login_failed"
    assert await _member_count(browser.app, kakao.user.email or "") == 0


async def test_an_unreachable_kakao_fails_the_login_cleanly(tmp_path: Path, sqlite_url: str, kakao: FakeKakao) -> None:
    settings = make_settings(
        tmp_path, database_url=sqlite_url, **{**kakao.settings(), "kakao_token_url": "http://127.0.0.1:9/oauth/token"}
    )
    async with app_client(create_app(settings)) as browser:
        finished = await kakao_login(browser)

    assert _error_of(finished.headers["location"]) == "provider_unavailable"


async def test_an_unverified_kakao_email_is_not_used_to_link_accounts(
    browser: AsyncTestClient[Litestar], kakao: FakeKakao
) -> None:
    kakao.user = KakaoUser(kakao.user.id, "Mallory", "victim@example.com", email_verified=False)

    token = access_token_of(await kakao_login(browser))

    me = (await browser.get("/api/members/me", headers={"Authorization": f"Bearer {token}"})).json()
    assert me["email"] != "victim@example.com"
    assert me["email"].endswith(".invalid")


async def test_the_login_success_target_keeps_its_own_query(browser: AsyncTestClient[Litestar]) -> None:
    finished = await kakao_login(browser, target=f"{LOGIN_SUCCESS}?next=%2Fquestion-sets")

    assert query_of(finished.headers["location"])["next"] == "/question-sets"
    assert access_token_of(finished)
