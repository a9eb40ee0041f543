"""The embedded store's own signed file URLs: PUT streams an upload to disk, GET serves it.

No Bearer token here: the URL's signature is the permission (as with S3 presigned URLs).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from litestar import Controller, Request, Response, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import File

from pullit_web.paths import LOCAL_FILES_PATH


class SignedDownloadFile(Protocol):
    @property
    def path(self) -> Path: ...
    @property
    def filename(self) -> str: ...
    @property
    def media_type(self) -> str: ...


# Runtime-checkable because Litestar checks each dependency against its annotation.
@runtime_checkable
class SignedFileStore(Protocol):
    """What the embedded store offers its URLs; it refuses with domain errors (404, 403, 413)."""

    async def receive(
        self,
        key: str,
        content_type: str | None,
        query: Mapping[str, str],
        length: int | None,
        body: AsyncIterable[bytes],
    ) -> None: ...

    async def signed_download(self, key: str, query: Mapping[str, str]) -> SignedDownloadFile: ...


def _key(path: str) -> str:
    return path.lstrip("/")


class LocalFilesController(Controller):
    path = LOCAL_FILES_PATH
    tags = ["embedded file store"]
    include_in_schema = False

    # The store enforces the signed length while streaming; Litestar's own limit would cap it at 10 MB.
    @put("/{key:path}", status_code=200, request_max_body_size=None)
    async def upload(
        self, key: FromPath[str], request: Request[Any, Any, Any], file_store: NamedDependency[SignedFileStore]
    ) -> None:
        declared = request.headers.get("content-length")
        length = int(declared) if declared is not None and declared.isdigit() else None
        query = dict(request.query_params)
        await file_store.receive(_key(key), request.headers.get("content-type"), query, length, request.stream())

    @get("/{key:path}")
    async def download(
        self, key: FromPath[str], request: Request[Any, Any, Any], file_store: NamedDependency[SignedFileStore]
    ) -> Response[Any]:
        file = await file_store.signed_download(_key(key), dict(request.query_params))
        return File(
            file.path, filename=file.filename, media_type=file.media_type, content_disposition_type="attachment"
        )
