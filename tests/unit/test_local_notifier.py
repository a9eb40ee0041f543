"""The in-process fan-out: every tab of a member gets each event once, in order, and a reset ends listening."""

from __future__ import annotations

import asyncio

from litestar.response.sse import ServerSentEventMessage

from pullit_adapters.notifier_local import InProcessNotifier
from pullit_domain.model.notification import MemberEvent
from pullit_web.http.controllers.notifications import _PING, _frame


def event(member_id: int, event_id: int) -> MemberEvent:
    return MemberEvent(member_id, event_id, "questionSetCreationComplete", f'{{"questionSetId": {event_id}}}')


async def test_events_published_while_nobody_reads_wait_in_order_for_each_tab() -> None:
    notifier = InProcessNotifier()
    tab1, tab2, other = notifier.subscribe(1), notifier.subscribe(1), notifier.subscribe(2)
    for event_id in (1, 2, 3):
        await notifier.publish(event(1, event_id))
    async with asyncio.timeout(5):
        assert [(await anext(tab1)).id for _ in range(3)] == [1, 2, 3]
        assert [(await anext(tab2)).id for _ in range(3)] == [1, 2, 3]
        # A reader already waiting is woken by the next event.
        waiting = asyncio.ensure_future(anext(other))
        await notifier.publish(event(2, 7))
        assert (await waiting).id == 7
    for subscription in (tab1, tab2, other):
        await subscription.aclose()
    assert notifier.subscriber_count == 0


async def test_a_reset_ends_listening_after_what_was_already_published() -> None:
    notifier = InProcessNotifier()
    subscription = notifier.subscribe(1)
    await notifier.publish(event(1, 1))
    notifier.reset()
    await notifier.publish(event(1, 2))  # after the end: the listener reads it back from the log
    async with asyncio.timeout(5):
        assert (await anext(subscription)).id == 1
        assert [item async for item in subscription] == []
    assert notifier.subscriber_count == 0


def test_stream_frames_are_byte_for_byte_what_litestar_would_send() -> None:
    for data, name, event_id in [
        ('{"success": true}', "questionSetCreationComplete", 3),
        ("EventStream Created. [memberId=5]", "handShakeComplete", 0),
        ("Reconnected.\nline two\r\nthree\rfour", "reconnection", None),
        ("", "empty", 9),
    ]:
        assert _frame(data, name, event_id) == ServerSentEventMessage(data=data, event=name, id=event_id).encode()
    assert ServerSentEventMessage(comment="ping", data=None).encode() == _PING
