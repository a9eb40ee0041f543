"""The object store is unreachable at upload-complete: a 503 problem, and no source is recorded.

S3 is moto's server over real HTTP, stopped after the browser's PUT and started again on the
same port (moto keeps its buckets in this process), so the learner's retry then succeeds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar

from pullit_web.bootstrap.app import create_app
from tests.support.app import make_settings
from tests.support.fake_s3 import ACCESS_KEY, REGION, SECRET_KEY, FakeS3
from tests.support.members import SignedIn, sign_in

FIELDS = ("uploadId", "filePath", "originalName", "contentType", "fileSizeBytes")


@pytest.fixture
def moto() -> Iterator[FakeS3]:
    server = FakeS3()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def bucket(moto: FakeS3) -> str:
    return moto.new_bucket()


@pytest.fixture
async def s3_app(tmp_path: Path, sqlite_url: str, moto: FakeS3, bucket: str) -> AsyncIterator[Litestar]:
    settings = make_settings(
        tmp_path,
        database_url=sqlite_url,
        storage="s3",
        s3_bucket=bucket,
        s3_region=REGION,
        s3_endpoint_url=moto.url,
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
async def api(s3_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=s3_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://pullit.test") as client:
        yield client


async def put_in_store(api: httpx.AsyncClient, who: SignedIn, data: bytes) -> dict[str, Any]:
    body = {"fileName": "notes.pdf", "contentType": "application/pdf", "fileSize": len(data)}
    permit = await api.post("/api/learning/source/upload", json=body, headers=who.headers)
    assert permit.status_code == 200, permit.text
    upload: dict[str, Any] = permit.json()
    async with httpx.AsyncClient() as browser:
        put = await browser.put(upload["uploadUrl"], content=data, headers={"Content-Type": "application/pdf"})
    assert put.status_code == 200, put.text
    return upload


async def test_upload_complete_with_the_store_down_is_a_503_problem_and_records_nothing(
    s3_app: Litestar, api: httpx.AsyncClient, moto: FakeS3, fixtures_dir: Path
) -> None:
    who = await sign_in(s3_app)
    upload = await put_in_store(api, who, (fixtures_dir / "photosynthesis.pdf").read_bytes())
    completion = {k: upload[k] for k in FIELDS}

    moto.stop()
    refused = await api.post("/api/learning/source/upload-complete", json=completion, headers=who.headers)

    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "COMMON_004"
    assert refused.headers["retry-after"]
    assert (await api.get("/api/learning/source", headers=who.headers)).json() == []

    moto.start()
    retried = await api.post("/api/learning/source/upload-complete", json=completion, headers=who.headers)

    assert retried.status_code == 200, retried.text
    listed = (await api.get("/api/learning/source", headers=who.headers)).json()
    assert [item["id"] for item in listed] == [retried.json()["id"]]
