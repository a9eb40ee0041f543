"""A small Server-Sent Events reader over httpx streaming, with bounded waits.

async with SseClient.connect(url, headers=...) as stream:
    hello = await stream.next_event()          # skips ": ping" comments
    event = await stream.next_event(within=5)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class SseMessage:
    """One dispatched SSE message; ``comment`` is set for comment lines such as ``: ping``."""

    event: str | None = None
    id: str | None = None
    data: str | None = None
    comment: str | None = None


class SseClosed(Exception):
    """The server ended the stream."""


class SseClient:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.aiter_lines()
        self.last_event_id: str | None = None

    @classmethod
    @asynccontextmanager
    async def connect(
        cls,
        url: str,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        within: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> AsyncIterator[SseClient]:
        """Open the stream; the status and headers are checked by the caller via ``response``."""
        own = client is None
        http = client or httpx.AsyncClient(timeout=httpx.Timeout(within, read=None))
        try:
            request = http.build_request("GET", url, headers={"Accept": "text/event-stream", **(headers or {})})
            if cookies:
                request.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            async with asyncio.timeout(within):
                response = await http.send(request, stream=True)
            try:
                yield cls(response)
            finally:
                await response.aclose()
        finally:
            if own:
                await http.aclose()

    async def next_message(self, within: float = 10.0) -> SseMessage:
        """The next message or comment, within ``within`` seconds."""
        async with asyncio.timeout(within):
            return await self._read_message()

    async def next_event(self, within: float = 10.0) -> SseMessage:
        """The next real event, skipping comments."""
        async with asyncio.timeout(within):
            while True:
                message = await self._read_message()
                if message.comment is None:
                    return message

    async def events(self, count: int, within: float = 10.0) -> list[SseMessage]:
        async with asyncio.timeout(within):
            return [await self.next_event(within) for _ in range(count)]

    async def _read_message(self) -> SseMessage:
        fields: dict[str, str] = {}
        data: list[str] = []
        while True:
            try:
                line = await anext(self._lines)
            except StopAsyncIteration:
                raise SseClosed("the server closed the event stream") from None
            if line == "":
                if not fields and not data:
                    continue
                message = SseMessage(fields.get("event"), fields.get("id"), "\n".join(data) if data else None)
                if message.id is not None:
                    self.last_event_id = message.id
                return message
            if line.startswith(":"):
                if not fields and not data:
                    # Its blank line is skipped by the next read, which sees no fields yet.
                    return SseMessage(comment=line[1:].lstrip(" "))
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                data.append(value)
            elif name in ("event", "id", "retry"):
                fields[name] = value
