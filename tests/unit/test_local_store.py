"""The embedded store's signed URLs, served by the app: what a tampered, expired or
oversized request gets, and that keys never leave the storage root."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient, TestClient

from pullit_adapters.local_store import InvalidKey, LocalFileStore
from pullit_adapters.memory.clock import ManualClock
from pullit_web.app import create_app
from pullit_web.settings import Settings

PDF_BYTES = b"%PDF-1.7\n" + b"x" * 1000
KEY = "learning-sources/2026/01/05/member-1/0123456789abcdef0123456789abcdef.pdf"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def local_app(settings: Settings, clock: ManualClock) -> Litestar:
    app = create_app(settings)
    app.state.container.clock.override(clock)
    return app


@pytest.fixture
async def files(local_app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=local_app) as client:
        yield client


@pytest.fixture
def store(local_app: Litestar) -> LocalFileStore:
    store = local_app.state.container.file_store()
    assert isinstance(store, LocalFileStore)
    return store


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return f"{parts.path}?{urlencode(query)}"


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def permit(store: LocalFileStore, size: int = len(PDF_BYTES), key: str = KEY) -> str:
    return (await store.presign_upload(key, "application/pdf", size, timedelta(minutes=15))).url


async def test_a_signed_upload_is_stored_and_served_back(
    files: AsyncTestClient[Litestar], store: LocalFileStore
) -> None:
    url = await permit(store)
    assert url.startswith("http://127.0.0.1:8000/files/learning-sources/")

    put = await files.put(path_of(url), content=PDF_BYTES, headers={"Content-Type": "application/pdf"})
    assert put.status_code == 200
    stored = await store.stat(KEY)
    assert stored is not None and (stored.size, stored.content_type) == (len(PDF_BYTES), "application/pdf")

    download = await store.presign_download(KEY, timedelta(minutes=5), "광합성 notes.pdf")
    got = await files.get(path_of(download.url))
    assert got.status_code == 200
    assert got.content == PDF_BYTES
    assert got.headers["content-type"].startswith("application/pdf")
    assert "filename*=utf-8''%EA%B4%91%ED%95%A9%EC%84%B1%20notes.pdf" in got.headers["content-disposition"]


async def test_uploads_beyond_the_frameworks_default_body_limit_are_accepted(
    files: AsyncTestClient[Litestar], store: LocalFileStore
) -> None:
    data = b"%PDF-1.7\n" + b"z" * (12 * 1024 * 1024)
    url = await permit(store, size=len(data))

    response = await files.put(path_of(url), content=data, headers={"Content-Type": "application/pdf"})

    assert response.status_code == 200
    stored = await store.stat(KEY)
    assert stored is not None and stored.size == len(data)


async def test_a_tampered_signature_is_refused(files: AsyncTestClient[Litestar], store: LocalFileStore) -> None:
    url = await permit(store)
    signature = parse_qs(urlsplit(url).query)["signature"][0]
    forged = ("0" if signature[0] != "0" else "1") + signature[1:]

    response = await files.put(
        with_query(url, signature=forged), content=PDF_BYTES, headers={"Content-Type": "application/pdf"}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "FILE_004"
    assert await store.stat(KEY) is None


async def test_a_raised_size_limit_breaks_the_signature(
    files: AsyncTestClient[Litestar], store: LocalFileStore
) -> None:
    url = await permit(store, size=10)

    response = await files.put(
        with_query(url, max=str(len(PDF_BYTES))), content=PDF_BYTES, headers={"Content-Type": "application/pdf"}
    )

    assert response.status_code == 403
    assert await store.stat(KEY) is None


async def test_an_expired_url_is_refused(
    files: AsyncTestClient[Litestar], store: LocalFileStore, clock: ManualClock
) -> None:
    url = await permit(store)
    clock.advance(timedelta(minutes=15, seconds=1))

    response = await files.put(
        path_of(url), content=PDF_BYTES, headers={"Content-Type": "application/pdf", "Accept-Language": "en"}
    )

    assert response.status_code == 403
    assert "expired" in response.json()["detail"]
    assert await store.stat(KEY) is None


async def test_a_url_is_valid_until_it_expires(
    files: AsyncTestClient[Litestar], store: LocalFileStore, clock: ManualClock
) -> None:
    url = await permit(store)
    clock.advance(timedelta(minutes=14, seconds=59))

    response = await files.put(path_of(url), content=PDF_BYTES, headers={"Content-Type": "application/pdf"})

    assert response.status_code == 200


async def test_an_expired_download_url_is_refused(
    files: AsyncTestClient[Litestar], store: LocalFileStore, clock: ManualClock
) -> None:
    await files.put(path_of(await permit(store)), content=PDF_BYTES, headers={"Content-Type": "application/pdf"})
    download = await store.presign_download(KEY, timedelta(minutes=5), "a.pdf")
    clock.advance(timedelta(minutes=6))

    assert (await files.get(path_of(download.url))).status_code == 403


async def test_a_renamed_download_breaks_the_signature(files: AsyncTestClient[Litestar], store: LocalFileStore) -> None:
    await files.put(path_of(await permit(store)), content=PDF_BYTES, headers={"Content-Type": "application/pdf"})
    download = await store.presign_download(KEY, timedelta(minutes=5), "a.pdf")

    assert (await files.get(with_query(download.url, name="evil.html"))).status_code == 403


async def test_another_content_type_is_refused(files: AsyncTestClient[Litestar], store: LocalFileStore) -> None:
    url = await permit(store)

    response = await files.put(
        path_of(url), content=PDF_BYTES, headers={"Content-Type": "text/html", "Accept-Language": "en"}
    )

    assert response.status_code == 403
    assert "Content-Type" in response.json()["detail"]
    assert await store.stat(KEY) is None


def test_a_body_larger_than_signed_is_cut_off_and_nothing_is_kept(
    local_app: Litestar, store: LocalFileStore, settings: Settings
) -> None:
    url = asyncio.run(permit(store, size=100_000))

    def oversized() -> Iterator[bytes]:
        # Streamed without Content-Length, so only counting while writing can catch it.
        for _ in range(40):
            yield b"%PDF-" + b"y" * 4_995

    # The sync client, because only it streams a chunked body into the app.
    with TestClient(app=local_app) as client:
        response = client.put(path_of(url), content=oversized(), headers={"Content-Type": "application/pdf"})

    assert response.status_code == 413
    assert response.json()["code"] == "FILE_005"
    assert asyncio.run(store.stat(KEY)) is None
    assert stored_files(settings.data_dir / "files") == []


async def test_a_declared_length_over_the_limit_is_refused_before_reading(
    files: AsyncTestClient[Litestar], store: LocalFileStore, settings: Settings
) -> None:
    url = await permit(store, size=10)

    response = await files.put(path_of(url), content=PDF_BYTES, headers={"Content-Type": "application/pdf"})

    assert response.status_code == 413
    assert stored_files(settings.data_dir / "files") == []


@pytest.mark.parametrize(
    "key",
    [
        "../outside.pdf",
        "learning-sources/../../outside.pdf",
        "/etc/passwd",
        "learning-sources/./x.pdf",
        "learning-sources//x.pdf",
        ".hidden/x.pdf",
        "learning-sources/x.pdf/..",
        "learning-sources\\..\\x.pdf",
    ],
)
async def test_keys_cannot_escape_the_storage_root(key: str, store: LocalFileStore) -> None:
    with pytest.raises(InvalidKey):
        await store.presign_upload(key, "application/pdf", 10, timedelta(minutes=1))
    with pytest.raises(InvalidKey):
        await store.stat(key)


@pytest.mark.parametrize("path", ["/files/..%2F..%2Fsecret.key", "/files/learning-sources/%2E%2E/%2E%2E/secret.key"])
async def test_traversal_through_the_url_finds_nothing(files: AsyncTestClient[Litestar], path: str) -> None:
    response = await files.get(f"{path}?expires=9999999999&signature=x")

    assert response.status_code in (403, 404)
    assert b"test-secret" not in response.content
