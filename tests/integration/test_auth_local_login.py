"""The embedded default's sign-in page: a name and an email, the same callback flow as Kakao."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pullit_web.app import create_app
from tests.support.app import make_settings
from tests.support.browser import (
    APP_URL,
    FRONTEND,
    access_token_of,
    app_client,
    back_to_app,
    local_login,
    query_of,
    start,
)


@pytest.fixture
async def browser(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with app_client(app) as client:
        yield client


def _email() -> str:
    return f"{uuid.uuid4().hex[:10]}@example.test"


async def _submit(browser: AsyncTestClient[Litestar], page_url: str, **fields: str) -> str:
    form = query_of(page_url)
    data = {"name": "Learner", "email": _email(), **{k: form[k] for k in ("redirect_uri", "state", "code_challenge")}}
    response = await browser.post("/oauth2/local/authorize", data={**data, **fields})
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def test_without_kakao_the_kakao_button_shows_the_local_page(browser: AsyncTestClient[Litestar]) -> None:
    page_url = await start(browser, "kakao")
    page = await browser.get(page_url)

    assert page_url.startswith("/oauth2/local/authorize?")
    assert query_of(page_url)["code_challenge_method"] == "S256"
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'name="name"' in page.text and 'name="email"' in page.text


async def test_a_person_signs_in_with_a_name_and_email(browser: AsyncTestClient[Litestar]) -> None:
    email = _email()
    finished = await local_login(browser, "Minji", email)

    me = await browser.get("/api/members/me", headers={"Authorization": f"Bearer {access_token_of(finished)}"})
    assert me.json()["name"] == "Minji" and me.json()["email"] == email
    again = await local_login(browser, "Minji", email.upper())
    me_again = await browser.get("/api/members/me", headers={"Authorization": f"Bearer {access_token_of(again)}"})
    assert me_again.json()["id"] == me.json()["id"]


async def test_a_local_code_works_once(browser: AsyncTestClient[Litestar]) -> None:
    callback = await _submit(browser, await start(browser, "local"))
    await back_to_app(browser, callback)
    # A new login whose callback smuggles in the redeemed code.
    fresh = await _submit(browser, await start(browser, "local"))
    smuggled = fresh.replace(f"code={query_of(fresh)['code']}", f"code={query_of(callback)['code']}")

    finished = await back_to_app(browser, smuggled)

    assert finished.headers["location"] == f"{FRONTEND}/login?error=login_failed"


async def test_a_code_bound_to_another_challenge_is_refused(browser: AsyncTestClient[Litestar]) -> None:
    page_url = await start(browser, "local")
    callback = await _submit(browser, page_url, code_challenge="A" * 43)

    finished = await back_to_app(browser, callback)

    assert finished.headers["location"] == f"{FRONTEND}/login?error=login_failed"


async def test_the_page_sends_codes_only_to_our_own_callback(browser: AsyncTestClient[Litestar]) -> None:
    page_url = await start(browser, "local")
    form = query_of(page_url)
    evil = {**form, "redirect_uri": "https://evil.example/login/oauth2/code/local"}

    shown = await browser.get("/oauth2/local/authorize", params=evil)
    posted = await browser.post(
        "/oauth2/local/authorize",
        data={"name": "x", "email": _email(), **{k: evil[k] for k in ("redirect_uri", "state", "code_challenge")}},
    )

    assert (shown.status_code, shown.json()["code"]) == (400, "COMMON_001")
    assert (posted.status_code, posted.json()["code"]) == (400, "COMMON_001")


async def test_a_bad_email_shows_the_form_again(browser: AsyncTestClient[Litestar]) -> None:
    page_url = await start(browser, "local")
    form = query_of(page_url)

    response = await browser.post(
        "/oauth2/local/authorize",
        data={
            "name": "<b>x</b>",
            "email": "not-an-email",
            **{k: form[k] for k in ("redirect_uri", "state", "code_challenge")},
        },
    )

    assert response.status_code == 400
    assert "이메일 주소를 입력하세요" in response.text  # PULLIT_DEFAULT_LANGUAGE is ko
    assert "&lt;b&gt;x&lt;/b&gt;" in response.text and "<b>x</b>" not in response.text


async def test_the_sign_in_page_speaks_the_browsers_language(browser: AsyncTestClient[Litestar]) -> None:
    page_url = await start(browser, "local")
    form = query_of(page_url)
    fields = {k: form[k] for k in ("redirect_uri", "state", "code_challenge")}

    english = await browser.post(
        "/oauth2/local/authorize",
        data={"name": "x", "email": "nope", **fields},
        headers={"Accept-Language": "en-US,en;q=0.9,ko;q=0.5"},
    )
    korean = await browser.post(
        "/oauth2/local/authorize",
        data={"name": "x", "email": "nope", **fields},
        headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.8"},
    )

    assert english.headers["content-language"] == "en"
    assert '<html lang="en">' in english.text and "type an email address" in english.text
    assert "Sign in to Pullit" in english.text
    assert korean.headers["content-language"] == "ko"
    assert '<html lang="ko">' in korean.text and "Pullit 로그인" in korean.text


async def test_with_kakao_configured_the_local_page_is_off(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(tmp_path, database_url=sqlite_url, kakao_client_id="id", kakao_client_secret="secret")
    async with app_client(create_app(settings)) as browser:
        local = await browser.get("/oauth2/authorization/local")
        page = await browser.get(
            "/oauth2/local/authorize", params={"redirect_uri": APP_URL, "state": "s", "code_challenge": "c"}
        )
        kakao = await browser.get("/oauth2/authorization/kakao")

    assert local.status_code == 404 and page.status_code == 404
    assert kakao.status_code == 302 and kakao.headers["location"].startswith("https://kauth.kakao.com/oauth/authorize?")


async def test_without_any_provider_sign_in_is_not_found(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(tmp_path, database_url=sqlite_url, local_login="false")
    async with app_client(create_app(settings)) as browser:
        response = await browser.get("/oauth2/authorization/kakao")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("accept_language", "remembered"), [("en-US,en;q=0.9", "en"), ("ko-KR,ko;q=0.9,en;q=0.8", "ko"), (None, "ko")]
)
async def test_sign_up_remembers_the_browsers_language(
    browser: AsyncTestClient[Litestar], accept_language: str | None, remembered: str
) -> None:
    if accept_language:
        browser.headers["Accept-Language"] = accept_language
    finished = await local_login(browser, "Minji", _email())
    token = {"Authorization": f"Bearer {access_token_of(finished)}"}
    browser.headers.pop("Accept-Language", None)

    settings = await browser.get("/api/members/me/settings", headers=token)
    changed = await browser.put("/api/members/me/settings", json={"language": "EN"}, headers=token)

    assert settings.json() == {"language": remembered}
    assert changed.json() == {"language": "en"}
    assert (await browser.get("/api/members/me/settings", headers=token)).json() == {"language": "en"}
