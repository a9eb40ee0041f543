"""Uploading a study PDF through the HTTP API, as the frontend does with the local store."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.support.members import SignedIn
from tests.support.polling import eventually

Client = AsyncTestClient[Litestar]


def local(url: str) -> str:
    """The path and query of an absolute URL the app signed for itself."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def permit(client: Client, who: SignedIn, name: str, size: int, content_type: str = "application/pdf") -> Any:
    body = {"fileName": name, "contentType": content_type, "fileSize": size}
    response = await client.post("/api/learning/source/upload", json=body, headers=who.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def put(client: Client, upload: dict[str, Any], data: bytes) -> None:
    response = await client.put(local(upload["uploadUrl"]), content=data, headers={"Content-Type": "application/pdf"})
    assert response.status_code == 200, response.text


def completion(upload: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {k: upload[k] for k in ("uploadId", "filePath", "originalName", "contentType", "fileSizeBytes")}
    return {**body, **changes}


async def upload_pdf(client: Client, who: SignedIn, path: Path) -> dict[str, Any]:
    """Permit, PUT and upload-complete; the recorded ``{id, status}`` plus the ``filePath`` used."""
    data = path.read_bytes()
    upload = await permit(client, who, path.name, len(data))
    await put(client, upload, data)
    response = await client.post("/api/learning/source/upload-complete", json=completion(upload), headers=who.headers)
    assert response.status_code == 200, response.text
    recorded: dict[str, Any] = {**response.json(), "filePath": upload["filePath"]}
    return recorded


async def listing(client: Client, who: SignedIn) -> list[dict[str, Any]]:
    response = await client.get("/api/learning/source", headers=who.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()
    return items


async def until_settled(client: Client, who: SignedIn, source_id: int) -> dict[str, Any]:
    """Poll the list (bounded) until background work has read the document."""

    async def read_item() -> dict[str, Any] | None:
        item = next(i for i in await listing(client, who) if i["id"] == source_id)
        return None if item["status"] == "UPLOADED" else item

    return await eventually(read_item, 20, f"source {source_id} to be read")


async def ready_source(client: Client, who: SignedIn, path: Path) -> int:
    """Upload ``path`` and wait until it is READY; its source id."""
    recorded = await upload_pdf(client, who, path)
    item = await until_settled(client, who, recorded["id"])
    assert item["status"] == "READY", item
    source_id: int = item["id"]
    return source_id
