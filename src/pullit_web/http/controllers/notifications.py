"""``GET /api/notifications/subscribe``: a member's live events as Server-Sent Events."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Annotated

from litestar import Controller, get
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, SkipValidation
from litestar.response import Stream

from pullit_domain.errors import InvalidInput
from pullit_domain.messages import msg
from pullit_domain.model.notification import MemberEvent
from pullit_domain.ports.messages import Messages
from pullit_domain.use_cases.notifications import (
    Handshake,
    Heartbeat,
    MemberEventStream,
    OpenMemberEventStream,
    Reconnected,
)
from pullit_web.http.auth import ACCESS_TOKEN_COOKIE_OPT, SignedInRequest
from pullit_web.http.ids import MAX_ID, query_between
from pullit_web.http.languages import messages_of, request_language
from pullit_web.http.metrics import sse_connections
from pullit_web.http.openapi import SIGNED_IN_SECURITY, problems


def _last_event_id(header: str | None, query: int | None) -> int | None:
    # The browser resends the header on its own reconnects, with a newer id than the page's query.
    if header is None or not header.strip():
        return query
    try:
        value = int(header.strip())
    except ValueError:
        raise InvalidInput("Last-Event-ID must be an event id (a whole number)") from None
    if not 0 <= value <= MAX_ID:
        raise InvalidInput("Last-Event-ID must be between 0 and {max_id}", max_id=MAX_ID)
    return value


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# The headers Litestar's ``ServerSentEvent`` sets: no caching, and no buffering in nginx.
_SSE_HEADERS = {"Cache-Control": "no-cache", "Connection": "keep-alive", "X-Accel-Buffering": "no"}
_PING = b": ping\r\n\r\n"


def _frame(data: str, event: str, event_id: int | None = None) -> bytes:
    """One message, byte for byte as Litestar's ``ServerSentEventMessage`` encodes it (CRLF lines)."""
    head = "" if event_id is None else f"id: {event_id}\r\n"
    lines = "".join(f"data: {line}\r\n" for line in _LINE_BREAK.split(data))
    return f"{head}event: {_LINE_BREAK.sub('', event)}\r\n{lines}\r\n".encode()


async def _frames(stream: MemberEventStream, member_id: int, language: str, messages: Messages) -> AsyncIterator[bytes]:
    """The stream as encoded messages: one generator per connection, holding nothing between events."""
    sse_connections.inc()
    try:
        async for item in stream.items():
            if isinstance(item, MemberEvent):
                yield _frame(item.data, item.name, item.id)
            elif isinstance(item, Heartbeat):
                yield _PING
            elif isinstance(item, Handshake):
                created = msg("EventStream Created. [memberId={member_id}]", member_id=member_id)
                yield _frame(messages.render(created, language), "handShakeComplete", item.last_id)
            elif isinstance(item, Reconnected):
                again = msg("Reconnected. Sending the events after id {last_id}.", last_id=item.last_id)
                yield _frame(messages.render(again, language), "reconnection")
    finally:
        sse_connections.dec()
        await stream.aclose()


class NotificationController(Controller):
    path = "/api/notifications"
    tags = ["notifications"]
    security = SIGNED_IN_SECURITY

    @get(
        "/subscribe",
        summary="Live notifications (text/event-stream); resumes after Last-Event-ID",
        media_type="text/event-stream",
        responses=problems(),
        # An EventSource cannot send headers, so this route (and only this one) also takes the cookie.
        opt={ACCESS_TOKEN_COOKIE_OPT: True},
    )
    async def subscribe(
        self,
        request: SignedInRequest,
        open_member_event_stream: NamedDependency[SkipValidation[OpenMemberEventStream]],
        last_event_id_header: Annotated[str | None, HeaderParameter(name="Last-Event-ID")] = None,
        last_event_id_query: Annotated[int | None, query_between(0, MAX_ID, "lastEventId")] = None,
    ) -> Stream:
        last_event_id = _last_event_id(last_event_id_header, last_event_id_query)
        stream = await open_member_event_stream(request.user.member_id, last_event_id)
        # The stream's own texts follow the browser's language (EventSource sends Accept-Language).
        frames = _frames(stream, request.user.member_id, request_language(request), messages_of(request))
        # A plain stream of bytes: ``ServerSentEvent`` would add a wrapper generator, a thread hop to
        # start it and a message object per event, and keep them all for the stream's lifetime.
        # The background task also releases the subscription if the body never started streaming.
        return Stream(
            frames, media_type="text/event-stream", headers=_SSE_HEADERS, background=BackgroundTask(stream.aclose)
        )
