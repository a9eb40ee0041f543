"""The embedded default's object store: files under a directory, reached through URLs this
service signs and serves itself, so clients follow exactly the S3 flow (PUT raw bytes with
``Content-Type`` to the upload URL, GET the download URL).

A URL's signature is an HMAC-SHA256 over method, key, content type, maximum length, expiry
and download name; it is checked in constant time and the expiry is enforced. Uploads are
streamed to a temporary file, cut off as soon as they exceed the signed length, and only
renamed into place when complete.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import json
import os
import re
import uuid
from collections.abc import AsyncIterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote_plus, urlencode

import anyio

from pullit_domain.errors import Code, Forbidden, NotFound, TooLarge, Unavailable
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.file_store import PresignedDownload, PresignedUpload, StoredObject

_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}"
_KEY = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT}){{0,15}}")
_HEAD_CHUNK = 64 * 1024


# Domain errors, so the shell answers them as problem details without knowing this adapter.
class InvalidKey(NotFound):
    """The key is not a plain relative path inside the store."""

    def __init__(self) -> None:
        super().__init__("no such file")


class SignatureRejected(Forbidden):
    """The URL was not signed by us for this request, or it has expired."""

    default_code = Code.FILE_URL_REJECTED


class BodyTooLarge(TooLarge):
    """The body exceeded the signed maximum length; nothing was kept."""


@dataclass(frozen=True)
class SignedDownload:
    path: Path
    filename: str
    media_type: str


@dataclass(frozen=True)
class UploadGrant:
    content_type: str
    max_size: int


class LocalFileStore:
    def __init__(self, root: Path, files_url: str, secret: str, clock: Clock) -> None:
        """``files_url`` is the absolute URL under which the shell serves ``receive`` and ``signed_download``."""
        self._root = root.resolve()
        self._objects = self._root / "objects"
        self._meta = self._root / "meta"
        self._partial = self._root / "partial"
        self._base = files_url.rstrip("/")
        # A key of its own, so a leaked file URL says nothing about the token signing key.
        key = hmac.new(secret.encode(), b"pullit-local-file-urls", hashlib.sha256).digest()
        self._mac = hmac.new(key, digestmod=hashlib.sha256)
        self._clock = clock

    # -- FileStore -------------------------------------------------------------------------

    async def presign_upload(
        self, key: str, content_type: str, max_size: int, expires_in: timedelta
    ) -> PresignedUpload:
        _check_key(key)
        expires = self._expiry(expires_in)
        signature = self._sign("PUT", key, content_type, max_size, expires, "")
        # What urlencode writes. Only the content type is free text (the rest are digits and hex);
        # urlencode quoting every value was about a tenth of a permit's CPU.
        query = f"expires={expires}&type={_quoted(content_type)}&max={max_size}&signature={signature}"
        return PresignedUpload(
            url=f"{self._base}/{key}?{query}",
            expires_at=datetime.fromtimestamp(expires, UTC),
            headers={"Content-Type": content_type},
        )

    async def presign_download(self, key: str, expires_in: timedelta, filename: str | None = None) -> PresignedDownload:
        _check_key(key)
        expires = self._expiry(expires_in)
        query = {"expires": str(expires)}
        if filename:
            query["name"] = filename
        query["signature"] = self._sign("GET", key, "", 0, expires, filename or "")
        return PresignedDownload(
            url=f"{self._base}/{key}?{urlencode(query)}", expires_at=datetime.fromtimestamp(expires, UTC)
        )

    async def stat(self, key: str) -> StoredObject | None:
        path = self._path(key)
        try:
            size = (await anyio.Path(path).stat()).st_size
        except FileNotFoundError:
            return None
        except OSError as error:
            raise Unavailable("local store: {strerror}", strerror=error.strerror) from error
        return StoredObject(key=key, size=size, content_type=await self._content_type(key))

    async def read_head(self, key: str, length: int) -> bytes:
        try:
            async with await anyio.open_file(self._path(key), "rb") as file:
                return await file.read(length)
        except OSError as error:
            raise Unavailable("local store: {strerror}", strerror=error.strerror) from error

    async def read(self, key: str) -> bytes:
        try:
            return await anyio.Path(self._path(key)).read_bytes()
        except OSError as error:
            raise Unavailable("local store: {strerror}", strerror=error.strerror) from error

    async def delete(self, key: str) -> None:
        for path in (self._path(key), self._meta_path(key)):
            try:
                await anyio.Path(path).unlink(missing_ok=True)
            except OSError as error:
                raise Unavailable("local store: {strerror}", strerror=error.strerror) from error

    # -- serving the signed URLs -----------------------------------------------------------

    def check_upload(self, key: str, content_type: str | None, query: Mapping[str, str]) -> UploadGrant:
        """The grant an upload URL carries, if the request matches what was signed."""
        self._path(key)
        try:
            expires, max_size = int(query["expires"]), int(query["max"])
            signed_type, signature = query["type"], query["signature"]
        except (KeyError, ValueError):
            raise SignatureRejected("the upload URL is incomplete") from None
        self._verify(signature, self._sign("PUT", key, signed_type, max_size, expires, ""), expires)
        if content_type is None or content_type.strip().lower() != signed_type.lower():
            raise SignatureRejected("Content-Type differs from the one the upload URL was signed for")
        return UploadGrant(signed_type, max_size)

    def check_download(self, key: str, query: Mapping[str, str]) -> str | None:
        """The download name a download URL carries, if it was signed by us and is current."""
        self._path(key)
        try:
            expires, signature = int(query["expires"]), query["signature"]
        except (KeyError, ValueError):
            raise SignatureRejected("the download URL is incomplete") from None
        name = query.get("name") or None
        self._verify(signature, self._sign("GET", key, "", 0, expires, name or ""), expires)
        return name

    async def write(self, key: str, grant: UploadGrant, chunks: AsyncIterable[bytes]) -> int:
        """Store the streamed body under ``key``; more than ``grant.max_size`` bytes keeps nothing."""
        target = self._path(key)
        await anyio.Path(self._partial).mkdir(parents=True, exist_ok=True)
        partial = anyio.Path(self._partial / f"{uuid.uuid4().hex}.part")
        size = 0
        try:
            async with await partial.open("wb") as file:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > grant.max_size:
                        raise BodyTooLarge("the body exceeds the signed {max_size} bytes", max_size=grant.max_size)
                    await file.write(chunk)
            meta = self._meta_path(key)
            await anyio.Path(meta.parent).mkdir(parents=True, exist_ok=True)
            await anyio.Path(meta).write_text(json.dumps({"content_type": grant.content_type}))
            await anyio.Path(target.parent).mkdir(parents=True, exist_ok=True)
            await asyncio.to_thread(os.replace, partial, target)
        finally:
            await partial.unlink(missing_ok=True)
        return size

    async def receive(
        self,
        key: str,
        content_type: str | None,
        query: Mapping[str, str],
        length: int | None,
        body: AsyncIterable[bytes],
    ) -> None:
        """An upload through a signed URL: checked against its grant, then streamed to disk."""
        grant = self.check_upload(key, content_type, query)
        if length is not None and length > grant.max_size:
            raise BodyTooLarge("the upload URL allows at most {max_size} bytes", max_size=grant.max_size)
        await self.write(key, grant, body)

    def object_path(self, key: str) -> Path:
        return self._path(key)

    async def signed_download(self, key: str, query: Mapping[str, str]) -> SignedDownload:
        """The file a signed download URL names, if the URL is ours and current."""
        name = self.check_download(key, query)
        path = self._path(key)
        if not path.is_file():
            raise InvalidKey
        media_type = await self._content_type(key) or "application/octet-stream"
        return SignedDownload(path, name or path.name, media_type)

    # -- internals -------------------------------------------------------------------------

    def _path(self, key: str) -> Path:
        _check_key(key)
        # Resolved on disk too: a symlink under objects/ must not lead out of the store.
        path = (self._objects / key).resolve()
        if not path.is_relative_to(self._objects):
            raise InvalidKey
        return path

    def _meta_path(self, key: str) -> Path:
        self._path(key)
        return self._meta / f"{key}.json"

    async def _content_type(self, key: str) -> str | None:
        try:
            meta = json.loads(await anyio.Path(self._meta_path(key)).read_text())
        except (FileNotFoundError, ValueError):
            return None
        value = meta.get("content_type")
        return value if isinstance(value, str) else None

    def _expiry(self, expires_in: timedelta) -> int:
        return int((self._clock.now() + expires_in).timestamp())

    def _sign(self, method: str, key: str, content_type: str, max_size: int, expires: int, name: str) -> str:
        message = "\n".join((method, key, content_type.lower(), str(max_size), str(expires), name))
        # The key is set up once; each signature copies that state (a third cheaper than hmac.new).
        mac = self._mac.copy()
        mac.update(message.encode())
        return mac.hexdigest()

    def _verify(self, given: str, expected: str, expires: int) -> None:
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise SignatureRejected("the URL's signature does not match")
        if self._clock.now().timestamp() > expires:
            raise SignatureRejected("the URL has expired")


# A permit's content type is one of very few (the use case admits PDF only).
_quoted = functools.lru_cache(maxsize=32)(quote_plus)


def _check_key(key: str) -> None:
    """Refuse what is not a key. Enough for signing a URL, which touches no file: no segment can
    be ``..`` or empty, so a key cannot name a path outside the store. A key's characters are
    all ones a URL path carries as they are, so it goes into URLs unquoted."""
    if not _KEY.fullmatch(key):
        raise InvalidKey
