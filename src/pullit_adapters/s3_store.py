"""Object storage on S3 or any S3-compatible store, through aioboto3.

One client serves the app's whole lifetime (opened on first use, closed by ``aclose``).
URLs are presigned with SigV4 (botocore would otherwise fall back to SigV2 for some
regions), and an upload URL signs its ``Content-Type`` and ``Content-Length`` so the
store itself refuses any other type or size.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import aioboto3
from aiobotocore.config import AioConfig
from botocore.exceptions import BotoCoreError, ClientError

from pullit_adapters.disposition import attachment
from pullit_domain.errors import Unavailable
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.file_store import PresignedDownload, PresignedUpload, StoredObject

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client

_MISSING = {"404", "NoSuchKey", "NotFound"}


class S3FileStore:
    def __init__(
        self,
        bucket: str,
        clock: Clock,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._bucket = bucket
        self._clock = clock
        self._session = aioboto3.Session(
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            region_name=region or None,
        )
        self._endpoint_url = endpoint_url or None
        self._config = AioConfig(
            signature_version="s3v4",
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"max_attempts": 2, "mode": "standard"},
        )
        self._stack = AsyncExitStack()
        self._client: S3Client | None = None
        self._opening = asyncio.Lock()

    async def _s3(self) -> S3Client:
        async with self._opening:
            if self._client is None:
                client = self._session.client("s3", endpoint_url=self._endpoint_url, config=self._config)
                self._client = await self._stack.enter_async_context(client)
            return self._client

    async def aclose(self) -> None:
        self._client = None
        await self._stack.aclose()

    async def presign_upload(
        self, key: str, content_type: str, max_size: int, expires_in: timedelta
    ) -> PresignedUpload:
        params = {"Bucket": self._bucket, "Key": key, "ContentType": content_type, "ContentLength": max_size}
        url = await self._presign("put_object", params, expires_in)
        return PresignedUpload(
            url=url, expires_at=self._clock.now() + expires_in, headers={"Content-Type": content_type}
        )

    async def presign_download(self, key: str, expires_in: timedelta, filename: str | None = None) -> PresignedDownload:
        params: dict[str, Any] = {"Bucket": self._bucket, "Key": key}
        if filename:
            params["ResponseContentDisposition"] = attachment(filename)
        url = await self._presign("get_object", params, expires_in)
        return PresignedDownload(url=url, expires_at=self._clock.now() + expires_in)

    async def stat(self, key: str) -> StoredObject | None:
        try:
            head = await (await self._s3()).head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if _code(error) in _MISSING:
                return None
            raise _unavailable(error) from error
        except BotoCoreError as error:
            raise _unavailable(error) from error
        return StoredObject(key=key, size=head["ContentLength"], content_type=head.get("ContentType"))

    async def read_head(self, key: str, length: int) -> bytes:
        return await self._get(key, f"bytes=0-{length - 1}")

    async def read(self, key: str) -> bytes:
        return await self._get(key, None)

    async def delete(self, key: str) -> None:
        try:
            await (await self._s3()).delete_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if _code(error) not in _MISSING:
                raise _unavailable(error) from error
        except BotoCoreError as error:
            raise _unavailable(error) from error

    async def _get(self, key: str, byte_range: str | None) -> bytes:
        try:
            s3 = await self._s3()
            if byte_range:
                response = await s3.get_object(Bucket=self._bucket, Key=key, Range=byte_range)
            else:
                response = await s3.get_object(Bucket=self._bucket, Key=key)
            async with response["Body"] as body:
                data: bytes = await body.read()
                return data
        except ClientError as error:
            if _code(error) == "InvalidRange":
                return b""
            raise _unavailable(error) from error
        except BotoCoreError as error:
            raise _unavailable(error) from error

    async def _presign(self, operation: str, params: dict[str, Any], expires_in: timedelta) -> str:
        try:
            url: str = await (await self._s3()).generate_presigned_url(
                operation, Params=params, ExpiresIn=int(expires_in.total_seconds())
            )
        except BotoCoreError as error:
            raise _unavailable(error) from error
        return url


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _unavailable(error: Exception) -> Unavailable:
    return Unavailable("object storage: {kind}", kind=type(error).__name__)
