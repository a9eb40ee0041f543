"""Study material over HTTP on the embedded default (SQLite + the app's own signed file URLs)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from pullit_adapters.local_store import LocalFileStore, UploadGrant
from pullit_web.bootstrap.app import create_app
from pullit_web.settings import Settings
from tests.support.members import SignedIn, sign_in
from tests.support.uploads import Client, completion, listing, local, permit, put, until_settled, upload_pdf


async def test_permit_answers_with_exactly_the_contract_fields(app: Litestar, client: Client) -> None:
    who = await sign_in(app)

    upload = await permit(client, who, "C:\\notes\\광합성.pdf", 3314)

    assert set(upload) == {
        "uploadId", "uploadUrl", "filePath", "originalName", "contentType", "fileSizeBytes", "expiresAt"
    }  # fmt: skip
    assert upload["originalName"] == "광합성.pdf"
    assert (upload["contentType"], upload["fileSizeBytes"]) == ("application/pdf", 3314)
    assert upload["filePath"].startswith("learning-sources/")
    assert upload["filePath"].endswith(f"/member-{who.member_id}/{upload['uploadId']}.pdf")
    assert upload["expiresAt"].endswith("Z")


async def test_permit_refuses_other_types_and_sizes(app: Litestar, client: Client) -> None:
    who = await sign_in(app)
    url = "/api/learning/source/upload"

    def body(content_type: str, size: int) -> dict[str, Any]:
        return {"fileName": "a.pdf", "contentType": content_type, "fileSize": size}

    not_pdf = await client.post(url, json=body("image/png", 10), headers=who.headers)
    empty = await client.post(url, json=body("application/pdf", 0), headers=who.headers)
    too_big = await client.post(url, json=body("application/pdf", 50 * 1024 * 1024 + 1), headers=who.headers)
    anonymous = await client.post(url, json=body("application/pdf", 10))

    assert (not_pdf.status_code, not_pdf.json()["code"]) == (400, "FILE_001")
    assert (empty.status_code, empty.json()["code"]) == (400, "FILE_002")
    assert (too_big.status_code, too_big.json()["code"]) == (400, "FILE_002")
    assert anonymous.status_code == 401


async def test_an_upload_is_listed_read_and_downloadable(app: Litestar, client: Client, fixtures_dir: Path) -> None:
    who = await sign_in(app)
    pdf = fixtures_dir / "photosynthesis.pdf"

    recorded = await upload_pdf(client, who, pdf)
    assert recorded["status"] == "UPLOADED"
    item = await until_settled(client, who, recorded["id"])

    assert item == {
        "id": recorded["id"],
        "originalName": "photosynthesis.pdf",
        "sourceFolderName": item["sourceFolderName"],
        "status": "READY",
        "questionSetCount": 0,
        "pageCount": 3,
        "fileSizeBytes": pdf.stat().st_size,
        "createdAt": item["createdAt"],
        "recentQuestionGeneratedAt": None,
    }
    assert item["sourceFolderName"]
    link = await client.get(f"/api/learning/source/{recorded['id']}/download-url", headers=who.headers)
    assert link.status_code == 200
    download = await client.get(local(link.json()["url"]))
    assert download.status_code == 200
    assert download.content == pdf.read_bytes()
    assert "photosynthesis.pdf" in download.headers["content-disposition"]


async def test_page_counts_are_read_in_the_background(app: Litestar, client: Client, fixtures_dir: Path) -> None:
    who = await sign_in(app)

    long = await upload_pdf(client, who, fixtures_dir / "long-120-pages.pdf")
    encrypted = await upload_pdf(client, who, fixtures_dir / "encrypted.pdf")

    assert (await until_settled(client, who, long["id"]))["pageCount"] == 120
    locked = await until_settled(client, who, encrypted["id"])
    assert (locked["status"], locked["pageCount"]) == ("READY", None)
    assert [i["id"] for i in await listing(client, who)] == [encrypted["id"], long["id"]]


async def test_completing_twice_records_one_source(app: Litestar, client: Client, fixtures_dir: Path) -> None:
    who = await sign_in(app)
    data = (fixtures_dir / "photosynthesis.pdf").read_bytes()
    upload = await permit(client, who, "p.pdf", len(data))
    await put(client, upload, data)

    first = await client.post("/api/learning/source/upload-complete", json=completion(upload), headers=who.headers)
    second = await client.post("/api/learning/source/upload-complete", json=completion(upload), headers=who.headers)

    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert len(await listing(client, who)) == 1


async def assert_refused_and_nothing_recorded(client: Client, who: SignedIn, body: dict[str, Any]) -> None:
    response = await client.post("/api/learning/source/upload-complete", json=body, headers=who.headers)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "FILE_003"
    assert await listing(client, who) == []


async def test_completing_another_members_upload_is_refused(app: Litestar, client: Client, fixtures_dir: Path) -> None:
    owner, other = await sign_in(app), await sign_in(app)
    data = (fixtures_dir / "photosynthesis.pdf").read_bytes()
    upload = await permit(client, owner, "p.pdf", len(data))
    await put(client, upload, data)

    await assert_refused_and_nothing_recorded(client, other, completion(upload))
    assert await listing(client, owner) == []


async def test_completing_with_a_different_size_is_refused(app: Litestar, client: Client, fixtures_dir: Path) -> None:
    who = await sign_in(app)
    data = (fixtures_dir / "photosynthesis.pdf").read_bytes()
    upload = await permit(client, who, "p.pdf", len(data))
    await put(client, upload, data[:-10])

    await assert_refused_and_nothing_recorded(client, who, completion(upload))


async def test_completing_a_file_that_is_not_a_pdf_is_refused(
    app: Litestar, client: Client, fixtures_dir: Path
) -> None:
    who = await sign_in(app)
    data = (fixtures_dir / "not-a-pdf.pdf").read_bytes()
    upload = await permit(client, who, "not-a-pdf.pdf", len(data))
    await put(client, upload, data)

    await assert_refused_and_nothing_recorded(client, who, completion(upload))


async def test_completing_an_upload_that_never_happened_is_refused(app: Litestar, client: Client) -> None:
    who = await sign_in(app)
    upload = await permit(client, who, "p.pdf", 3314)

    await assert_refused_and_nothing_recorded(client, who, completion(upload))


async def test_someone_elses_source_is_not_found(app: Litestar, client: Client, fixtures_dir: Path) -> None:
    owner, other = await sign_in(app), await sign_in(app)
    recorded = await upload_pdf(client, owner, fixtures_dir / "photosynthesis.pdf")

    link = await client.get(f"/api/learning/source/{recorded['id']}/download-url", headers=other.headers)
    removal = await client.delete(f"/api/learning/source/{recorded['id']}", headers=other.headers)

    assert (link.status_code, link.json()["code"]) == (404, "SE_001")
    assert (removal.status_code, removal.json()["code"]) == (404, "SE_001")
    assert [i["id"] for i in await listing(client, owner)] == [recorded["id"]]


async def test_deleting_hides_the_source_and_removes_the_object(
    app: Litestar, client: Client, fixtures_dir: Path
) -> None:
    who = await sign_in(app)
    recorded = await upload_pdf(client, who, fixtures_dir / "photosynthesis.pdf")
    store: LocalFileStore = app.state.container.file_store()
    stored = store.object_path(recorded["filePath"])
    assert stored.is_file()

    response = await client.delete(f"/api/learning/source/{recorded['id']}", headers=who.headers)

    assert response.status_code == 204
    assert await listing(client, who) == []
    assert not stored.exists()
    assert await store.stat(recorded["filePath"]) is None
    link = await client.get(f"/api/learning/source/{recorded['id']}/download-url", headers=who.headers)
    assert link.status_code == 404


async def test_sources_left_waiting_are_read_when_the_app_starts(settings: Settings, fixtures_dir: Path) -> None:
    app = create_app(settings)
    container = app.state.container
    who = await sign_in(app)
    data = await asyncio.to_thread((fixtures_dir / "photosynthesis.pdf").read_bytes)
    # Recorded while no background work ran (a crash right after upload-complete, say).
    permit = await container.issue_upload_permit()(who.member_id, "p.pdf", "application/pdf", len(data))
    store: LocalFileStore = container.file_store()
    await store.write(permit.file_path, UploadGrant("application/pdf", len(data)), chunks(data))
    recorded = await container.complete_upload()(
        who.member_id, permit.upload_id, permit.file_path, "p.pdf", "application/pdf", len(data)
    )
    assert recorded.status == "UPLOADED"

    async with AsyncTestClient(app=app) as client:
        item = await until_settled(client, who, recorded.id)

    assert (item["status"], item["pageCount"]) == ("READY", 3)


async def chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data
