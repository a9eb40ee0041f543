"""Gemini's Files API: resumable upload of a document too big to send inline."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TypeVar

import httpx
import msgspec
from msgspec import Struct

from pullit_adapters.gemini.responses import error_from
from pullit_domain.ports.llm import GenerationFailed, GenerationImpossible

T = TypeVar("T")


class UploadedFile(Struct, rename="camel"):
    name: str
    uri: str
    mime_type: str = ""
    state: str = "ACTIVE"


class _FileReply(Struct):
    file: UploadedFile


async def upload(
    http: httpx.AsyncClient, data: bytes, mime_type: str, display_name: str, *, poll_seconds: float, polls: int
) -> UploadedFile:
    """Upload ``data`` (start, then one "upload, finalize") and wait until it is ACTIVE.

    ``http`` carries the API key and base URL. Errors map like ``generateContent``'s.
    """
    start = await http.post(
        "/upload/v1beta/files",
        headers={
            "X-Goog-Upload-Protocol": "resumable",
            "X-Goog-Upload-Command": "start",
            "X-Goog-Upload-Header-Content-Length": str(len(data)),
            "X-Goog-Upload-Header-Content-Type": mime_type,
        },
        json={"file": {"display_name": display_name}},
    )
    if start.is_error:
        raise error_from(start)
    upload_url = start.headers.get("x-goog-upload-url")
    if not upload_url:
        raise GenerationFailed("the Gemini Files API gave no upload URL")
    finished = await http.post(
        upload_url,
        headers={"X-Goog-Upload-Command": "upload, finalize", "X-Goog-Upload-Offset": "0"},
        content=data,
    )
    if finished.is_error:
        raise error_from(finished)
    file = _decode(finished.content, _FileReply).file
    for _ in range(polls):
        if file.state != "PROCESSING":
            break
        await asyncio.sleep(poll_seconds)
        current = await http.get(f"/v1beta/{file.name}")
        if current.is_error:
            raise error_from(current)
        file = _decode(current.content, UploadedFile)
    if file.state == "FAILED":
        raise GenerationImpossible("Gemini could not process {display_name}", display_name=display_name)
    if file.state != "ACTIVE":
        raise GenerationFailed("Gemini is still processing {display_name}", display_name=display_name)
    return file


async def delete(http: httpx.AsyncClient, file: UploadedFile) -> None:
    """Best effort: Gemini deletes uploads after 48 hours anyway."""
    with contextlib.suppress(httpx.HTTPError):
        await http.delete(f"/v1beta/{file.name}")


def _decode(content: bytes, kind: type[T]) -> T:
    try:
        return msgspec.json.decode(content, type=kind)
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise GenerationFailed("the Gemini Files API sent an unreadable reply") from None
