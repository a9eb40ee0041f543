"""Logs never carry secrets: a whole session at DEBUG, then every secret seen is grepped for.

The session is as real as tests get: Kakao sign-in (fake Kakao over HTTP), refresh, an S3
upload through presigned URLs (moto over HTTP), a download link, question generation on
Gemini (a fake over HTTP) with an API key set, one attempt failing and one succeeding, and
logout; MariaDB behind a password, with SQL echo on. The logs are caught twice: as the JSON
lines our formatter writes, and as pytest's caplog records. Then a live server is driven
through the local sign-in page and an SSE stream, and its log file is grepped too.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy.engine import make_url

from pullit_adapters.sql.migrate import upgrade
from pullit_domain.model.question import QuestionType
from pullit_web.bootstrap.app import create_app
from pullit_web.http import logs
from pullit_web.http.login_cookie import COOKIE_NAME
from pullit_web.http.logs import JsonFormatter
from tests.support import fake_gemini
from tests.support.app import TEST_SECRET, make_settings
from tests.support.browser import APP_URL, LOGIN_SUCCESS, access_token_of, back_to_app, start, through_provider
from tests.support.database import migrated_sqlite
from tests.support.fake_gemini import API_KEY, FakeGemini, canned_questions
from tests.support.fake_kakao import FakeKakao, KakaoUser, running_fake_kakao
from tests.support.fake_s3 import REGION, FakeS3
from tests.support.live_server import LiveServer, wait_until
from tests.support.members import SignedIn
from tests.support.services import _run, fresh_mariadb_database
from tests.support.sse_client import SseClient
from tests.support.uploads import until_settled

CALLBACK = f"{APP_URL}/login/oauth2/code/kakao"
# moto checks no credentials; this secret is the one the logs must never show.
S3_ACCESS_KEY, S3_SECRET = "moto-access", "moto-secret-value-for-logs"
# The fakes of S3 and Kakao run in this process, and their servers log what they receive; in
# production they are other companies' servers, so their records are not ours to judge.
FOREIGN_LOGGERS = ("werkzeug", "moto")


class Secrets:
    """Every secret value the session meets; ``found_in`` names those a text contains."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def add(self, what: str, value: str | None) -> None:
        assert value, f"the session should have produced {what}"
        self.values[f"{what} #{len(self.values)}"] = value

    def add_url_signature(self, what: str, url: str) -> None:
        query = parse_qs(urlsplit(url).query)
        signature = (query.get("X-Amz-Signature") or query.get("signature") or [""])[0]
        self.add(f"{what} signature", signature)
        self.add(f"{what} query", urlsplit(url).query)

    def found_in(self, text: str) -> list[str]:
        return [what for what, value in self.values.items() if value in text]


class CapturedJson(logging.Handler):
    """Our JSON formatter's output, as the service would write it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.buffer = io.StringIO()

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(FOREIGN_LOGGERS):
            self.buffer.write(self.format(record) + "\n")


@pytest.fixture
def kakao() -> Iterator[FakeKakao]:
    with running_fake_kakao({CALLBACK}) as kakao:
        number = secrets.randbelow(10**9)
        kakao.user = KakaoUser(number, f"카카오{number}", f"kakao{number}@kakao.example")
        kakao.client_secret = f"kakao-secret-{uuid.uuid4().hex}"
        yield kakao


@pytest.fixture
def gemini() -> Iterator[FakeGemini]:
    fake = FakeGemini().start()
    yield fake
    fake.close()


@pytest.fixture
def bucket() -> Iterator[tuple[str, str]]:
    server = FakeS3()
    try:
        yield server.url, server.new_bucket()
    finally:
        server.stop()


@pytest.fixture
def password_database() -> Iterator[tuple[str, str]]:
    """A migrated MariaDB database reached as a user with a password; (url, password)."""
    with fresh_mariadb_database() as root_url:
        upgrade(root_url)
        url = make_url(root_url)
        user, password = f"hyg_{uuid.uuid4().hex[:8]}", f"db-pw-{uuid.uuid4().hex}"
        hosts = ("%", "localhost", "127.0.0.1")
        for host in hosts:
            _run(f"CREATE USER '{user}'@'{host}' IDENTIFIED BY '{password}'")
            _run(f"GRANT ALL PRIVILEGES ON `{url.database}`.* TO '{user}'@'{host}'")
        try:
            yield url.set(username=user, password=password).render_as_string(hide_password=False), password
        finally:
            for host in hosts:
                _run(f"DROP USER IF EXISTS '{user}'@'{host}'")


@pytest.fixture
async def session_app(
    tmp_path: Path,
    kakao: FakeKakao,
    gemini: FakeGemini,
    bucket: tuple[str, str],
    password_database: tuple[str, str],
) -> AsyncIterator[Any]:
    endpoint, name = bucket
    settings = make_settings(
        tmp_path,
        database_url=password_database[0],
        log_level="DEBUG",
        log_format="json",
        sql_echo="true",
        storage="s3",
        s3_bucket=name,
        s3_region=REGION,
        s3_endpoint_url=endpoint,
        s3_access_key_id=S3_ACCESS_KEY,
        s3_secret_access_key=S3_SECRET,
        gemini_api_key=API_KEY,
        gemini_base_url=gemini.base_url,
        gemini_model="gemini-hygiene",
        **kakao.settings(),
    )
    app = create_app(settings)
    # Startup on this loop: the store client and engines belong to the loop that made them.
    await app.state.container.init_resources()
    try:
        yield app
    finally:
        await app.state.container.shutdown_resources()


async def test_a_whole_session_at_debug_logs_no_secret(
    session_app: Any,
    kakao: FakeKakao,
    gemini: FakeGemini,
    password_database: tuple[str, str],
    fixtures_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    captured = CapturedJson()
    logging.getLogger().addHandler(captured)
    caplog.set_level(logging.DEBUG)
    seen = Secrets()
    for what, value in [
        ("PULLIT_SECRET_KEY", TEST_SECRET),
        ("Gemini API key", API_KEY),
        ("Kakao client secret", kakao.client_secret),
        ("database password", password_database[1]),
        ("S3 secret key", S3_SECRET),
    ]:
        seen.add(what, value)
    transport = httpx.ASGITransport(app=session_app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url=APP_URL) as browser:
            await _session(browser, kakao, gemini, session_app, fixtures_dir, seen)
    finally:
        logs.flush()  # access records are built on the log writer's thread
        logging.getLogger().removeHandler(captured)

    json_lines = captured.buffer.getvalue()
    ours = [r for r in caplog.records if not r.name.startswith(FOREIGN_LOGGERS)]
    records = "\n".join(f"{r.name} {r.getMessage()} {getattr(r, 'fields', '')} {r.exc_text or ''}" for r in ours)
    assert "pullit.access" in json_lines and "generation attempt finished" in json_lines  # logs were caught
    assert logging.getLogger().getEffectiveLevel() == logging.DEBUG
    assert "sqlalchemy.engine" in json_lines  # SQL echo, with its parameters, was on
    assert seen.found_in(json_lines) == []
    assert seen.found_in(records) == []


async def _session(
    browser: httpx.AsyncClient, kakao: FakeKakao, gemini: FakeGemini, app: Any, fixtures_dir: Path, seen: Secrets
) -> None:
    authorize_url = await start(browser)  # type: ignore[arg-type]
    seen.add("login cookie", browser.cookies.get(COOKIE_NAME))
    callback = await through_provider(authorize_url)
    seen.add("OAuth code", parse_qs(urlsplit(callback).query)["code"][0])
    finished = await back_to_app(browser, callback)  # type: ignore[arg-type]
    access = access_token_of(finished)
    seen.add("access token", access)
    seen.add("refresh token", browser.cookies.get("refresh_token"))
    seen.add("Kakao access token", next(iter(kakao.access_tokens)))

    refreshed = await browser.post("/auth/refresh")
    assert refreshed.status_code == 200, refreshed.text
    access = refreshed.json()["accessToken"]
    seen.add("refreshed access token", access)
    seen.add("rotated refresh token", browser.cookies.get("refresh_token"))
    who = SignedIn(0, access)

    data = await asyncio.to_thread((fixtures_dir / "photosynthesis.pdf").read_bytes)
    body = {"fileName": "광합성.pdf", "contentType": "application/pdf", "fileSize": len(data)}
    permit = (await browser.post("/api/learning/source/upload", json=body, headers=who.headers)).json()
    seen.add_url_signature("upload URL", permit["uploadUrl"])
    async with httpx.AsyncClient() as direct:
        put = await direct.put(permit["uploadUrl"], content=data, headers={"Content-Type": "application/pdf"})
    assert put.status_code == 200, put.text
    keys = ("uploadId", "filePath", "originalName", "contentType", "fileSizeBytes")
    done = await browser.post(
        "/api/learning/source/upload-complete", json={k: permit[k] for k in keys}, headers=who.headers
    )
    assert done.status_code == 200, done.text
    source_id = done.json()["id"]
    assert (await until_settled(browser, who, source_id))["status"] == "READY"  # type: ignore[arg-type]
    link = await browser.get(f"/api/learning/source/{source_id}/download-url", headers=who.headers)
    seen.add_url_signature("download URL", link.json()["url"])

    gemini.script(fake_gemini.daily_quota_spent(), fake_gemini.ok(canned_questions(QuestionType.MULTIPLE_CHOICE, 3)))
    for _ in range(2):
        ask = {"sourceIds": [source_id], "type": "MULTIPLE_CHOICE", "difficulty": "EASY", "questionCount": 3}
        assert (await browser.post("/api/question-set", json=ask, headers=who.headers)).status_code == 201
        assert await app.state.container.generation_worker().run_once()
    for call in gemini.generate_calls:
        for uri in _file_uris(call):
            seen.add_url_signature("URL handed to Gemini", uri)

    assert (await browser.post("/auth/logout", headers=who.headers)).status_code in (200, 204)


def _file_uris(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["fileUri"]] if isinstance(node.get("fileUri"), str) else []
        return found + [uri for value in node.values() for uri in _file_uris(value)]
    if isinstance(node, list):
        return [uri for value in node for uri in _file_uris(value)]
    return []


def test_a_live_server_logs_no_token_through_sign_in_and_an_event_stream(tmp_path: Path) -> None:
    url = migrated_sqlite(tmp_path / "live.db")
    environ = {
        "PULLIT_DATABASE_URL": url,
        "PULLIT_DATA_DIR": str(tmp_path),
        "PULLIT_RUN_WORKER": "false",
        "PULLIT_LOG_LEVEL": "DEBUG",
        "PULLIT_LOG_FORMAT": "json",
        "PULLIT_SQL_ECHO": "true",
        "PULLIT_SSE_HEARTBEAT_SECONDS": "0.2",
    }
    seen = Secrets()
    seen.add("PULLIT_SECRET_KEY", TEST_SECRET)
    with LiveServer(environ, log_dir=tmp_path) as server:
        asyncio.run(_live_session(server, seen))
        log = tmp_path / f"server-{server.port}.log"
        # The access line is written after the response is sent: wait for the last request's.
        wait_until(
            lambda: any(e.get("path", "").startswith("/api/members/me") for e in _entries(log.read_text())),
            10,
            "the last access log line",
        )
        text = log.read_text()
    assert any(entry["level"] == "DEBUG" for entry in _entries(text))
    assert seen.found_in(text) == []


def _entries(text: str) -> list[dict[str, Any]]:
    """The JSON log lines of a server's output (uvicorn's own start-up lines are not JSON)."""
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


async def _live_session(server: LiveServer, seen: Secrets) -> None:
    # The session cookies are Secure and this server speaks plain HTTP, so they are carried by hand.
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as browser:
        started = await browser.get("/oauth2/authorization/local", params={"redirect_uri": LOGIN_SUCCESS})
        assert started.status_code == 302, started.text
        login_cookie = _set_cookie(started, COOKIE_NAME)
        seen.add("login cookie", login_cookie)
        page_url = _local(started.headers["location"])
        assert (await browser.get(page_url)).status_code == 200
        form = {k: v[0] for k, v in parse_qs(urlsplit(page_url).query).items()}
        fields = ("redirect_uri", "state", "code_challenge")
        submitted = await browser.post(
            page_url.split("?")[0],
            data={"name": "Live", "email": f"{uuid.uuid4().hex}@example.test", **{k: form[k] for k in fields}},
        )
        assert submitted.status_code == 302, submitted.text
        callback = _local(submitted.headers["location"])
        seen.add("login code", parse_qs(urlsplit(callback).query)["code"][0])
        finished = await browser.get(callback, headers={"Cookie": f"{COOKIE_NAME}={login_cookie}"})
        access = access_token_of(finished)
        seen.add("access token", access)
        refresh = _set_cookie(finished, "refresh_token")
        seen.add("refresh token", refresh)
        browser.cookies.clear()

        refreshed = await browser.post("/auth/refresh", headers={"Cookie": f"refresh_token={refresh}"})
        assert refreshed.status_code == 200, refreshed.text
        seen.add("refreshed access token", refreshed.json()["accessToken"])
        seen.add("rotated refresh token", _set_cookie(refreshed, "refresh_token"))

        cookie = {"Cookie": f"access_token={access}"}
        async with SseClient.connect(f"{server.url}/api/notifications/subscribe", headers=cookie) as stream:
            assert (await stream.next_event()).event == "handShakeComplete"
        # A token in a query string (a careless client) must not reach the access log either.
        await browser.get("/api/members/me", params={"token": access})


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _set_cookie(response: httpx.Response, name: str) -> str:
    header = next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}="))
    return header.split(";", 1)[0].split("=", 1)[1]
