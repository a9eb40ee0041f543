"""``GET /api/notifications/subscribe``: a member's live events as Server-Sent Events."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from litestar import Controller, get
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, SkipValidation
from litestar.response import ServerSentEvent, ServerSentEventMessage

from pullit_domain.errors import InvalidInput
from pullit_domain.messages import Message, msg
from pullit_domain.model.notification import MemberEvent
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


async def _messages(
    stream: MemberEventStream, member_id: int, say: Callable[[Message], str]
) -> AsyncIterator[ServerSentEventMessage]:
    sse_connections.inc()
    try:
        async for item in stream.items():
            if isinstance(item, MemberEvent):
                yield ServerSentEventMessage(id=item.id, event=item.name, data=item.data)
            elif isinstance(item, Heartbeat):
                yield ServerSentEventMessage(comment="ping", data=None)
            elif isinstance(item, Handshake):
                text = say(msg("EventStream Created. [memberId={member_id}]", member_id=member_id))
                yield ServerSentEventMessage(id=item.last_id, event="handShakeComplete", data=text)
            elif isinstance(item, Reconnected):
                text = say(msg("Reconnected. Sending the events after id {last_id}.", last_id=item.last_id))
                yield ServerSentEventMessage(event="reconnection", data=text)
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
    ) -> ServerSentEvent:
        last_event_id = _last_event_id(last_event_id_header, last_event_id_query)
        stream = await open_member_event_stream(request.user.member_id, last_event_id)
        # The stream's own texts follow the browser's language (EventSource sends Accept-Language).
        language, messages = request_language(request), messages_of(request)
        texts = _messages(stream, request.user.member_id, lambda message: messages.render(message, language))
        # The background task also releases the subscription if the body never started streaming.
        return ServerSentEvent(texts, background=BackgroundTask(stream.aclose))
