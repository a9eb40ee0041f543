"""A browser's walk through sign-in, over real HTTP to the app (test client) and the provider."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

# Secure cookies only travel over https, in httpx as in browsers.
APP_URL = "https://testserver.local"
FRONTEND = "http://localhost:5173"
LOGIN_SUCCESS = f"{FRONTEND}/login-success"


def app_client(app: Litestar) -> AsyncTestClient[Litestar]:
    client = AsyncTestClient(app=app, base_url=APP_URL)
    # Each hop is taken by hand: the provider lives on another server than the app.
    client.follow_redirects = False
    return client


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def set_cookie_headers(response: httpx.Response, name: str) -> list[str]:
    return [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]


async def start(client: AsyncTestClient[Litestar], registration: str = "kakao", target: str = LOGIN_SUCCESS) -> str:
    """``GET /oauth2/authorization/<registration>``; returns where the browser is sent."""
    response = await client.get(f"/oauth2/authorization/{registration}", params={"redirect_uri": target})
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def through_provider(authorize_url: str) -> str:
    """The provider's page (the fake Kakao signs the person in at once); returns the callback URL."""
    async with httpx.AsyncClient(timeout=5) as browser:
        response = await browser.get(authorize_url)
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def back_to_app(client: AsyncTestClient[Litestar], callback_url: str) -> httpx.Response:
    response = await client.get(callback_url)
    assert response.status_code == 302, response.text
    return response


async def kakao_login(client: AsyncTestClient[Litestar], target: str = LOGIN_SUCCESS) -> httpx.Response:
    return await back_to_app(client, await through_provider(await start(client, "kakao", target)))


async def local_login(client: AsyncTestClient[Litestar], name: str, email: str) -> httpx.Response:
    """The local page: GET it, submit the form, follow back to the callback."""
    page_url = await start(client, "local")
    page = await client.get(page_url)
    assert page.status_code == 200, page.text
    form = query_of(page_url)
    submitted = await client.post(
        page_url.split("?")[0],
        data={
            "name": name,
            "email": email,
            "redirect_uri": form["redirect_uri"],
            "state": form["state"],
            "code_challenge": form["code_challenge"],
        },
    )
    assert submitted.status_code == 302, submitted.text
    return await back_to_app(client, submitted.headers["location"])


def access_token_of(response: httpx.Response) -> str:
    location = response.headers["location"]
    assert location.startswith(LOGIN_SUCCESS + "?"), location
    return query_of(location)["accessToken"]
