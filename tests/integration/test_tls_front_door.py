"""The front door of docs/deploy.md: nginx terminating TLS with HTTP/2 in front of two instances.

A self-signed certificate (openssl) and Debian's nginx; skipped when either is missing, except under
CI=true. Checks over https and HTTP/2: sign-in (Secure cookies, https URLs, X-Forwarded-* trusted from
nginx only), and twenty SSE streams of one member on ONE connection, each hearing one event. Over
HTTP/1.1 a browser opens at most six connections per origin and every stream holds one.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from pullit_adapters.clock import SystemClock
from pullit_adapters.notifier_redis import RedisNotifier
from pullit_adapters.outbox import OutboxRelay
from tests.support.browser import LOGIN_SUCCESS, query_of, set_cookie_headers
from tests.support.live_server import LiveServer
from tests.support.notifications import Database, database
from tests.support.services import redis_url
from tests.support.sse_client import SseClient
from tests.support.tls_nginx import NGINX_UPSTREAM_ADDRESS, TlsNginx, self_signed_certificate

pytestmark = [pytest.mark.mariadb, pytest.mark.redis]

SUBSCRIBE = "/api/notifications/subscribe"
STREAMS = 20


@dataclass(frozen=True)
class FrontDoor:
    nginx: TlsNginx
    instances: tuple[LiveServer, LiveServer]
    channel: str

    def client(self) -> httpx.AsyncClient:
        """A browser-like client: HTTP/2 over TLS, trusting the test certificate, one hop at a time."""
        return httpx.AsyncClient(
            base_url=self.nginx.url,
            http2=True,
            verify=self.nginx.tls(),
            timeout=httpx.Timeout(15, read=None),
            follow_redirects=False,
        )


def _require(binary: str) -> None:
    if shutil.which(binary) is None and not Path(f"/usr/sbin/{binary}").exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{binary} is not installed (under CI it must be)")
        pytest.skip(f"{binary} is not installed")


@pytest.fixture(scope="module")
def front_door(tmp_path_factory: pytest.TempPathFactory, mariadb_url: str) -> Iterator[FrontDoor]:
    _require("nginx")
    _require("openssl")
    root = tmp_path_factory.mktemp("tls-front-door")
    channel = f"pullit-test:{uuid.uuid4().hex}"
    common = {
        "PULLIT_DATABASE_URL": mariadb_url,
        "PULLIT_REDIS_URL": redis_url(),
        "PULLIT_REDIS_CHANNEL": channel,
        "PULLIT_RUN_WORKER": "false",  # the shared test database holds other tests' jobs
        "PULLIT_OUTBOX_POLL_SECONDS": "3600",  # events come from the "worker" below, through Redis
        "PULLIT_RATE_LIMIT_SIGN_IN_PER_MINUTE": "0",
        # uvicorn's own setting, as docs/deploy.md says: only nginx's address may set X-Forwarded-*.
        "FORWARDED_ALLOW_IPS": NGINX_UPSTREAM_ADDRESS,
    }
    a = LiveServer({**common, "PULLIT_DATA_DIR": str(root / "a")})
    b = LiveServer({**common, "PULLIT_DATA_DIR": str(root / "b")})
    certificate = self_signed_certificate(root / "tls")
    with a, b, TlsNginx(root / "nginx", [a.port, b.port], certificate) as nginx:
        yield FrontDoor(nginx, (a, b), channel)


@pytest.fixture
async def db(mariadb_url: str) -> AsyncIterator[Database]:
    async with database(mariadb_url) as handle:
        yield handle


async def test_sign_in_over_https_and_http2_sets_secure_cookies_and_https_urls(front_door: FrontDoor) -> None:
    async with front_door.client() as browser:
        started = await browser.get("/oauth2/authorization/local", params={"redirect_uri": LOGIN_SUCCESS})
        page_url = started.headers["location"]
        form = query_of(page_url)
        fields = {k: form[k] for k in ("redirect_uri", "state", "code_challenge")}
        email = f"{uuid.uuid4().hex[:10]}@example.test"
        signed_in = await browser.post("/oauth2/local/authorize", data={"name": "Minji", "email": email, **fields})
        callback = await browser.get(signed_in.headers["location"])

    assert started.http_version == "HTTP/2"
    assert started.status_code == 302
    # The callback the provider is told to use is the public https one, built from nginx's headers.
    assert form["redirect_uri"] == f"{front_door.nginx.url}/login/oauth2/code/local"
    assert callback.status_code == 302
    assert callback.headers["location"].startswith(f"{LOGIN_SUCCESS}?accessToken=")
    cookies = [*set_cookie_headers(callback, "refresh_token"), *set_cookie_headers(callback, "access_token")]
    assert len(cookies) == 2
    assert all("Secure" in cookie and "HttpOnly" in cookie for cookie in cookies)


async def test_forwarded_headers_count_only_when_nginx_sends_them(front_door: FrontDoor) -> None:
    instance = front_door.instances[0]
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    async with httpx.AsyncClient(base_url=instance.url, follow_redirects=False) as direct:
        response = await direct.get(
            "/oauth2/authorization/local", params={"redirect_uri": LOGIN_SUCCESS}, headers=forged
        )

    redirect_uri = query_of(response.headers["location"])["redirect_uri"]
    assert redirect_uri.startswith("http://"), redirect_uri


async def test_twenty_streams_of_one_member_share_one_http2_connection_and_each_hears_the_event(
    front_door: FrontDoor, db: Database
) -> None:
    learner = await db.new_learner()
    worker_notifier = RedisNotifier(redis_url(), front_door.channel)
    worker_relay = OutboxRelay(db.uow, worker_notifier, SystemClock())
    try:
        async with front_door.client() as browser, AsyncExitStack() as tabs:
            streams = [
                await tabs.enter_async_context(
                    SseClient.connect(front_door.nginx.url + SUBSCRIBE, headers=learner.headers, client=browser)
                )
                for _ in range(STREAMS)
            ]
            hellos = await asyncio.gather(*(stream.next_event(within=20) for stream in streams))
            await db.complete_question_set(learner.member_id, 41)
            assert await worker_relay.relay_once() >= 1
            events = await asyncio.gather(*(stream.next_event(within=20) for stream in streams))
            connections = len(browser._transport._pool.connections)  # type: ignore[attr-defined]
    finally:
        await worker_notifier.stop()

    assert {stream.response.http_version for stream in streams} == {"HTTP/2"}
    assert connections == 1
    assert [h.event for h in hellos] == ["handShakeComplete"] * STREAMS
    assert [(e.event, e.id, json.loads(e.data or "")["questionSetId"]) for e in events] == [
        ("questionSetCreationComplete", "1", 41)
    ] * STREAMS
