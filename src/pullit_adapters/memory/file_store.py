from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pullit_domain.ports.file_store import PresignedDownload, PresignedUpload, StoredObject


class InMemoryFileStore:
    """Objects kept in a dict. ``put`` plays the client's direct upload."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.objects[key] = (data, content_type)

    async def presign_upload(
        self, key: str, content_type: str, max_size: int, expires_in: timedelta
    ) -> PresignedUpload:
        return PresignedUpload(
            url=f"memory://{key}",
            expires_at=datetime.now(UTC) + expires_in,
            headers={"Content-Type": content_type},
        )

    async def presign_download(self, key: str, expires_in: timedelta, filename: str | None = None) -> PresignedDownload:
        return PresignedDownload(url=f"memory://{key}", expires_at=datetime.now(UTC) + expires_in)

    async def stat(self, key: str) -> StoredObject | None:
        if key not in self.objects:
            return None
        data, content_type = self.objects[key]
        return StoredObject(key=key, size=len(data), content_type=content_type)

    async def read_head(self, key: str, length: int) -> bytes:
        return self.objects[key][0][:length]

    async def read(self, key: str) -> bytes:
        return self.objects[key][0]

    async def delete(self, key: str) -> None:
        self.objects.pop(key, None)
