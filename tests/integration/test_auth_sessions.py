"""Sessions over HTTP: refresh rotation, reuse detection, logout, access-token checks, admin routes."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pullit_adapters.memory import ManualClock
from pullit_adapters.tokens import JwtAccessTokens
from pullit_domain.model.member import Role
from pullit_web.bootstrap.app import create_app
from pullit_web.settings import Settings
from tests.support.app import TEST_SECRET, make_settings
from tests.support.browser import access_token_of, app_client, local_login, set_cookie_headers
from tests.support.members import sign_in

HOST = "testserver.local"


@pytest.fixture
async def browser(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with app_client(app) as client:
        yield client


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _problem(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


def _attributes(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")[1:]}


def _unique_email() -> str:
    return f"{uuid.uuid4().hex[:10]}@example.test"


async def _signed_in(browser: AsyncTestClient[Litestar]) -> tuple[str, str]:
    """Sign in through the local page; returns (access token, refresh token)."""
    finished = await local_login(browser, "Learner", _unique_email())
    refresh = browser.cookies.get("refresh_token")
    assert refresh
    return access_token_of(finished), refresh


def _present_refresh(browser: AsyncTestClient[Litestar], token: str) -> None:
    browser.cookies.set("refresh_token", token, domain=HOST, path="/auth")


async def test_refresh_answers_a_new_access_token_and_rotates_the_cookie(browser: AsyncTestClient[Litestar]) -> None:
    _, first_refresh = await _signed_in(browser)

    response = await browser.post("/auth/refresh")

    assert response.status_code == 200
    access = response.json()["accessToken"]
    assert set(response.json()) == {"accessToken"}
    rotated = set_cookie_headers(response, "refresh_token")
    assert len(rotated) == 1
    assert {"HttpOnly", "Secure", "SameSite=None", "Path=/auth", "Max-Age=604800"} <= _attributes(rotated[0])
    assert browser.cookies.get("refresh_token") not in (None, first_refresh)
    assert set_cookie_headers(response, "access_token")
    assert (await browser.get("/api/members/me", headers=_bearer(access))).status_code == 200


async def test_a_refresh_token_used_twice_revokes_its_family(browser: AsyncTestClient[Litestar]) -> None:
    _, first_refresh = await _signed_in(browser)
    assert (await browser.post("/auth/refresh")).status_code == 200
    newest = browser.cookies.get("refresh_token") or ""

    _present_refresh(browser, first_refresh)
    reused = await browser.post("/auth/refresh")
    _present_refresh(browser, newest)
    after = await browser.post("/auth/refresh")

    assert _problem(reused) == (401, "AUTH006")
    assert _problem(after) == (401, "AUTH006")


async def test_refresh_without_the_cookie_is_a_400(browser: AsyncTestClient[Litestar]) -> None:
    response = await browser.post("/auth/refresh")

    assert _problem(response) == (400, "AUTH005")
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_an_unknown_refresh_token_is_a_401(browser: AsyncTestClient[Litestar]) -> None:
    _present_refresh(browser, "made-up")

    assert _problem(await browser.post("/auth/refresh")) == (401, "TOKEN_002")


async def test_logout_revokes_the_family_and_expires_the_cookie_where_it_was_set(
    browser: AsyncTestClient[Litestar],
) -> None:
    access, refresh = await _signed_in(browser)

    response = await browser.post("/auth/logout", headers=_bearer(access))

    assert response.status_code == 204
    expired = set_cookie_headers(response, "refresh_token")
    assert len(expired) == 1
    assert {"Path=/auth", "Max-Age=0", "HttpOnly", "Secure"} <= _attributes(expired[0])
    _present_refresh(browser, refresh)
    assert _problem(await browser.post("/auth/refresh")) == (401, "AUTH006")


async def test_logout_needs_a_bearer_token(browser: AsyncTestClient[Litestar]) -> None:
    await _signed_in(browser)

    assert _problem(await browser.post("/auth/logout")) == (401, "AUTH001")


async def test_the_cookie_path_and_domain_are_settings_and_logout_clears_the_same(
    tmp_path: Path, sqlite_url: str
) -> None:
    settings = make_settings(
        tmp_path, database_url=sqlite_url, refresh_cookie_path="/", cookie_domain="testserver.local"
    )
    async with app_client(create_app(settings)) as browser:
        finished = await local_login(browser, "Learner", _unique_email())
        set_at = _attributes(set_cookie_headers(finished, "refresh_token")[0])
        cleared = await browser.post("/auth/logout", headers=_bearer(access_token_of(finished)))
        cleared_at = _attributes(set_cookie_headers(cleared, "refresh_token")[0])

    assert {"Path=/", "Domain=testserver.local"} <= set_at
    assert {"Path=/", "Domain=testserver.local", "Max-Age=0"} <= cleared_at


def _segments(token: str) -> tuple[dict[str, object], dict[str, object], str]:
    header, payload, signature = token.split(".")
    decode = lambda part: json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # noqa: E731
    return decode(header), decode(payload), signature


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_bad_access_tokens_are_refused_with_their_codes(app: Litestar, settings: Settings) -> None:
    member = await sign_in(app)
    _, claims, signature = _segments(member.access_token)
    header_b64, payload_b64, _ = member.access_token.split(".")
    past = ManualClock(datetime.now(UTC) - timedelta(minutes=31))
    expired = JwtAccessTokens(settings.secret_key, past, settings.jwt_issuer, settings.jwt_audience).issue(
        member.member_id, Role.MEMBER
    )
    cases = {
        "expired": (expired, "TOKEN_001"),
        "tampered signature": (f"{header_b64}.{payload_b64}.{signature[::-1]}", "TOKEN_002"),
        "tampered claims": (f"{header_b64}.{_b64({**claims, 'memberId': 1})}.{signature}", "TOKEN_002"),
        "wrong audience": (jwt.encode({**claims, "aud": "other"}, TEST_SECRET, algorithm="HS256"), "TOKEN_002"),
        "alg none": (f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload_b64}.", "TOKEN_002"),
        "other secret": (jwt.encode(claims, "x" * 64, algorithm="HS256"), "TOKEN_002"),
        "not an access token": (
            jwt.encode({**claims, "tokenType": "refresh"}, TEST_SECRET, algorithm="HS256"),
            "AUTH007",
        ),
        "garbage": ("not-a-jwt", "TOKEN_002"),
    }
    async with app_client(app) as client:
        results = {
            name: _problem(await client.get("/api/members/me", headers=_bearer(token)))
            for name, (token, _) in cases.items()
        }
        missing = _problem(await client.get("/api/members/me"))

    assert results == {name: (401, code) for name, (_, code) in cases.items()}
    assert missing == (401, "AUTH001")


async def test_members_me_answers_the_callers_profile(browser: AsyncTestClient[Litestar]) -> None:
    email = _unique_email()
    finished = await local_login(browser, "Jiwoo Kim", email)

    me = await browser.get("/api/members/me", headers=_bearer(access_token_of(finished)))

    assert me.status_code == 200
    assert me.json() == {"id": me.json()["id"], "name": "Jiwoo Kim", "email": email}
    assert isinstance(me.json()["id"], int)


async def test_admin_routes_follow_the_stored_role_at_every_request(app: Litestar) -> None:
    admin, member = await sign_in(app, "Admin"), await sign_in(app, "Member")
    await app.state.container.set_admin_role()(admin.member_id, admin=True)
    grant = f"/api/admin/members/{member.member_id}/grant-admin"
    revoke_admin_itself = f"/api/admin/members/{admin.member_id}/revoke-admin"

    async with app_client(app) as client:
        refused = await client.post(grant, headers=member.headers)
        granted = await client.post(grant, headers=admin.headers)
        unknown = await client.post("/api/admin/members/999999/grant-admin", headers=admin.headers)
        # The new admin's old token (role MEMBER inside) already works: the role is read from the database.
        by_new_admin = await client.post(revoke_admin_itself, headers=member.headers)
        # And the former admin's token (role ADMIN inside) stops working at once.
        by_former_admin = await client.post(grant, headers=admin.headers)
        anonymous = await client.post(grant)

    assert _problem(refused) == (403, "AUTH002")
    assert granted.status_code == 200 and granted.json()["role"] == "ADMIN"
    assert _problem(unknown) == (404, "MEMBER_001")
    assert by_new_admin.status_code == 200 and by_new_admin.json()["role"] == "MEMBER"
    assert _problem(by_former_admin) == (403, "AUTH002")
    assert _problem(anonymous) == (401, "AUTH001")


async def test_sessions_work_across_instances(settings: Settings) -> None:
    one, other = create_app(settings), create_app(settings)
    async with app_client(one) as first, app_client(other) as second:
        finished = await local_login(first, "Roaming", _unique_email())
        second.cookies = first.cookies
        refreshed = await second.post("/auth/refresh")
        me = await first.get("/api/members/me", headers=_bearer(refreshed.json()["accessToken"]))

    assert access_token_of(finished)
    assert refreshed.status_code == 200
    assert me.status_code == 200
