"""The embedded store's own signed file URLs: PUT streams an upload to disk, GET serves it.

No Bearer token here: the URL's signature is the permission (as with S3 presigned URLs).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import File

from pullit_adapters.local_store import ROUTE, BodyTooLarge, InvalidKey, LocalFileStore, SignatureRejected
from pullit_domain.errors import Code
from pullit_web.problems import ProblemException


def _key(path: str) -> str:
    return path.lstrip("/")


def _rejected(error: SignatureRejected | InvalidKey) -> ProblemException:
    if isinstance(error, InvalidKey):
        return ProblemException(404, Code.NOT_FOUND, "no such file")
    return ProblemException.of(403, Code.FILE_URL_REJECTED, error.message)


class LocalFilesController(Controller):
    path = ROUTE
    tags = ["embedded file store"]
    include_in_schema = False

    # The store enforces the signed length while streaming; Litestar's own limit would cap it at 10 MB.
    @put("/{key:path}", status_code=200, request_max_body_size=None)
    async def upload(
        self, key: FromPath[str], request: Request[Any, Any, Any], local_store: NamedDependency[LocalFileStore]
    ) -> None:
        try:
            grant = local_store.check_upload(_key(key), request.headers.get("content-type"), dict(request.query_params))
        except (SignatureRejected, InvalidKey) as error:
            raise _rejected(error) from None
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > grant.max_size:
            raise ProblemException(
                413, Code.FILE_TOO_LARGE, "the upload URL allows at most {max_size} bytes", max_size=grant.max_size
            )
        try:
            await local_store.write(_key(key), grant, request.stream())
        except BodyTooLarge as error:
            raise ProblemException.of(413, Code.FILE_TOO_LARGE, error.message) from None

    @get("/{key:path}")
    async def download(
        self, key: FromPath[str], request: Request[Any, Any, Any], local_store: NamedDependency[LocalFileStore]
    ) -> Response[Any]:
        try:
            name = local_store.check_download(_key(key), dict(request.query_params))
        except (SignatureRejected, InvalidKey) as error:
            raise _rejected(error) from None
        path = local_store.object_path(_key(key))
        if not path.is_file():
            raise ProblemException(404, Code.NOT_FOUND, "no such file")
        media_type = await local_store.content_type(_key(key)) or "application/octet-stream"
        return File(path, filename=name or path.name, media_type=media_type, content_disposition_type="attachment")
