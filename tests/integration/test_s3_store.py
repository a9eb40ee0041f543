"""The S3 adapter against moto's server over real HTTP: presigned URLs really work, they are
SigV4, and file bytes go from the client to the store without passing through the app."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from litestar import Litestar
from litestar.types import Message, Receive, Scope, Send

from pullit_adapters.memory.clock import ManualClock
from pullit_adapters.s3_store import S3FileStore
from pullit_domain.errors import Unavailable
from pullit_web.bootstrap.app import create_app
from tests.support.app import make_settings
from tests.support.fake_s3 import ACCESS_KEY, REGION, SECRET_KEY, FakeS3
from tests.support.members import SignedIn, sign_in


@pytest.fixture(scope="module")
def fake_s3() -> Iterator[FakeS3]:
    server = FakeS3()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def moto_endpoint(fake_s3: FakeS3) -> str:
    return fake_s3.url


@pytest.fixture
def bucket(fake_s3: FakeS3) -> str:
    return fake_s3.new_bucket()


class CountingApp:
    """ASGI wrapper that counts the request-body bytes the app receives."""

    def __init__(self, app: Litestar) -> None:
        self.app = app
        self.received = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.received += len(message.get("body", b""))
            return message

        await self.app(scope, counted, send)


@pytest.fixture
async def s3_app(tmp_path: Path, sqlite_url: str, moto_endpoint: str, bucket: str) -> AsyncIterator[Litestar]:
    settings = make_settings(
        tmp_path,
        database_url=sqlite_url,
        storage="s3",
        s3_bucket=bucket,
        s3_region=REGION,
        s3_endpoint_url=moto_endpoint,
        s3_access_key_id=ACCESS_KEY,
        s3_secret_access_key=SECRET_KEY,
    )
    app = create_app(settings)
    # The app's startup and shutdown hooks, run on this loop: the store's client belongs to one loop.
    container = app.state.container
    await container.init_resources()
    try:
        yield app
    finally:
        await container.shutdown_resources()


@pytest.fixture
async def api(s3_app: Litestar) -> AsyncIterator[tuple[httpx.AsyncClient, CountingApp]]:
    counting = CountingApp(s3_app)
    transport = httpx.ASGITransport(app=counting)
    async with httpx.AsyncClient(transport=transport, base_url="http://pullit.test") as client:
        yield client, counting


@pytest.fixture
async def store(moto_endpoint: str, bucket: str) -> AsyncIterator[S3FileStore]:
    store = S3FileStore(
        bucket,
        ManualClock(),
        region=REGION,
        endpoint_url=moto_endpoint,
        access_key_id=ACCESS_KEY,
        secret_access_key=SECRET_KEY,
    )
    yield store
    await store.aclose()


async def upload_through_the_store(
    api: httpx.AsyncClient, who: SignedIn, data: bytes, name: str = "notes.pdf"
) -> dict[str, Any]:
    body = {"fileName": name, "contentType": "application/pdf", "fileSize": len(data)}
    permit = await api.post("/api/learning/source/upload", json=body, headers=who.headers)
    assert permit.status_code == 200, permit.text
    upload: dict[str, Any] = permit.json()
    async with httpx.AsyncClient() as direct:
        put = await direct.put(upload["uploadUrl"], content=data, headers={"Content-Type": "application/pdf"})
    assert put.status_code == 200, put.text
    return upload


def completion(upload: dict[str, Any]) -> dict[str, Any]:
    return {k: upload[k] for k in ("uploadId", "filePath", "originalName", "contentType", "fileSizeBytes")}


async def test_upload_presigned_urls_are_sigv4_with_the_type_signed(store: S3FileStore) -> None:
    key = "learning-sources/2026/01/05/member-1/0123456789abcdef0123456789abcdef.pdf"

    permit = await store.presign_upload(key, "application/pdf", 3314, timedelta(minutes=15))

    query = parse_qs(urlsplit(permit.url).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["900"]
    signed = query["X-Amz-SignedHeaders"][0].split(";")
    assert "content-type" in signed
    assert "content-length" in signed
    assert f"/{REGION}/s3/aws4_request" in query["X-Amz-Credential"][0]


async def test_the_whole_flow_over_real_http(
    s3_app: Litestar, api: tuple[httpx.AsyncClient, CountingApp], fixtures_dir: Path, store: S3FileStore
) -> None:
    client, _ = api
    who = await sign_in(s3_app)
    data = await asyncio.to_thread((fixtures_dir / "photosynthesis.pdf").read_bytes)

    upload = await upload_through_the_store(client, who, data, "광합성.pdf")
    done = await client.post("/api/learning/source/upload-complete", json=completion(upload), headers=who.headers)
    assert done.status_code == 200, done.text
    source_id = done.json()["id"]

    link = await client.get(f"/api/learning/source/{source_id}/download-url", headers=who.headers)
    assert link.status_code == 200
    async with httpx.AsyncClient() as direct:
        download = await direct.get(link.json()["url"])
    assert download.content == data
    assert "filename*=UTF-8''%EA%B4%91%ED%95%A9%EC%84%B1.pdf" in download.headers["content-disposition"]

    removal = await client.delete(f"/api/learning/source/{source_id}", headers=who.headers)
    assert removal.status_code == 204
    assert await store.stat(upload["filePath"]) is None


async def test_upload_complete_checks_what_the_store_holds(
    s3_app: Litestar, api: tuple[httpx.AsyncClient, CountingApp], fixtures_dir: Path
) -> None:
    client, _ = api
    who = await sign_in(s3_app)
    data = await asyncio.to_thread((fixtures_dir / "not-a-pdf.pdf").read_bytes)
    upload = await upload_through_the_store(client, who, data)

    refused = await client.post("/api/learning/source/upload-complete", json=completion(upload), headers=who.headers)

    assert (refused.status_code, refused.json()["code"]) == (400, "FILE_003")
    assert (await client.get("/api/learning/source", headers=who.headers)).json() == []


async def test_file_bytes_never_pass_through_the_app(
    s3_app: Litestar, api: tuple[httpx.AsyncClient, CountingApp]
) -> None:
    client, counting = api
    who = await sign_in(s3_app)
    data = b"%PDF-1.4\n" + b"\0" * (20 * 1024 * 1024)

    upload = await upload_through_the_store(client, who, data, "big.pdf")
    done = await client.post("/api/learning/source/upload-complete", json=completion(upload), headers=who.headers)

    assert done.status_code == 200, done.text
    assert counting.received < 2_000, f"the app received {counting.received} request bytes for a 20 MB upload"


async def test_an_unreachable_store_is_unavailable() -> None:
    store = S3FileStore("b", ManualClock(), region=REGION, endpoint_url="http://127.0.0.1:9", timeout=0.5)
    try:
        with pytest.raises(Unavailable):
            await store.stat("learning-sources/x.pdf")
    finally:
        await store.aclose()
