from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class PresignedUpload:
    """Permission for a client to ``PUT`` one object's bytes straight to the store."""

    url: str
    expires_at: datetime
    method: str = "PUT"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PresignedDownload:
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    content_type: str | None


class FileStore(Protocol):
    """Object storage that clients reach directly through short-lived signed URLs.

    Contract:
    - File bytes never pass through the service on upload: ``presign_upload`` returns a URL
      that accepts exactly one ``PUT`` with the given ``Content-Type`` and at most
      ``max_size`` bytes until ``expires_in`` has passed.
    - ``presign_download`` returns a URL that serves the object with ``GET`` until it expires.
    - ``stat`` returns ``None`` for a missing object, never raises for it.
    - ``read_head`` returns at most ``length`` leading bytes (fewer when the object is shorter).
    - ``read`` returns the whole object; it is for background work, never the request path.
    - ``delete`` of a missing object succeeds.
    - Keys are relative paths such as ``learning-sources/2026/11/26/member-1/<uuid>.pdf``.
    - Unreachable storage raises ``pullit_domain.errors.Unavailable``.
    """

    async def presign_upload(
        self, key: str, content_type: str, max_size: int, expires_in: timedelta
    ) -> PresignedUpload: ...

    async def presign_download(
        self, key: str, expires_in: timedelta, filename: str | None = None
    ) -> PresignedDownload: ...

    async def stat(self, key: str) -> StoredObject | None: ...

    async def read_head(self, key: str, length: int) -> bytes: ...

    async def read(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...
