"""Recording member notifications in the outbox, and a member's live, gap-free event stream."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from pullit_domain.events import NotificationRecorded
from pullit_domain.model.notification import MemberEvent, Notification, QuestionSetCompletion
from pullit_domain.ports.clock import Clock
from pullit_domain.ports.notifier import Notifier, Subscription
from pullit_domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

REPLAY_PAGE = 500


async def record_in_outbox(uow: UnitOfWork, member_id: int, notification: Notification, at: datetime) -> MemberEvent:
    """The one way a notification enters the outbox: written in ``uow``, relayed once it commits."""
    event = await uow.notifications.record(member_id, notification, at)
    uow.record(NotificationRecorded(member_id))
    return event


class RecordNotification:
    """Write a notification into the caller's own unit of work (the transactional outbox).

    It becomes visible, and is delivered, only when that unit of work commits; a rollback
    takes it back with the state change it reports.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def __call__(
        self, uow: UnitOfWork, member_id: int, notification: Notification | QuestionSetCompletion
    ) -> MemberEvent:
        if isinstance(notification, QuestionSetCompletion):
            notification = notification.notification()
        return await record_in_outbox(uow, member_id, notification, self._clock.now())


@dataclass(frozen=True)
class Handshake:
    """The stream is open; ``last_id`` is where this connection's numbering starts."""

    last_id: int


@dataclass(frozen=True)
class Reconnected:
    """A reconnect: every event after ``last_id`` follows, in order."""

    last_id: int


@dataclass(frozen=True)
class Heartbeat:
    """Nothing happened for a while; lets proxies see a live connection."""


StreamItem = Handshake | Reconnected | MemberEvent | Heartbeat


class OpenMemberEventStream:
    """A member's events from ``last_event_id`` on (or from now), each exactly once and in order.

    Listening starts before the log is read, so nothing falls between the two. Ids of a
    member's committed events have no gaps, so a live event that skips ids means the
    notifier missed some (e.g. a broker outage): they are read back from the log. When the
    notifier ends a subscription because it cannot vouch for completeness, the stream
    listens again and catches up from the log, without closing the connection.
    """

    def __init__(self, uow: UnitOfWorkFactory, notifier: Notifier, heartbeat_seconds: float) -> None:
        self._uow = uow
        self._notifier = notifier
        self._heartbeat_seconds = heartbeat_seconds

    async def __call__(self, member_id: int, last_event_id: int | None) -> MemberEventStream:
        subscription = self._notifier.subscribe(member_id)
        try:
            async with self._uow() as uow:
                latest = await uow.notifications.latest_id(member_id)
        except BaseException:
            await subscription.aclose()
            raise
        # An id from the future (say, a restored database) would hide new events forever.
        start = latest if last_event_id is None else min(last_event_id, latest)
        return MemberEventStream(self, member_id, subscription, start, reconnected=last_event_id is not None)

    def subscribe(self, member_id: int) -> Subscription:
        return self._notifier.subscribe(member_id)

    @property
    def heartbeat_seconds(self) -> float:
        return self._heartbeat_seconds

    async def replay(self, member_id: int, last_id: int) -> list[MemberEvent]:
        """Every committed event of the member after ``last_id``, oldest first."""
        events: list[MemberEvent] = []
        while True:
            async with self._uow() as uow:
                page = await uow.notifications.after(member_id, last_id, REPLAY_PAGE)
            events.extend(page)
            if len(page) < REPLAY_PAGE:
                return events
            last_id = page[-1].id


class MemberEventStream:
    __slots__ = ("_member_id", "_opener", "_reconnected", "_start", "_subscription")

    def __init__(
        self,
        opener: OpenMemberEventStream,
        member_id: int,
        subscription: Subscription,
        start: int,
        *,
        reconnected: bool,
    ) -> None:
        self._opener = opener
        self._member_id = member_id
        self._subscription = subscription
        self._start = start
        self._reconnected = reconnected

    async def aclose(self) -> None:
        await self._subscription.aclose()

    async def items(self) -> AsyncIterator[StreamItem]:
        last = self._start
        try:
            yield Handshake(last)
            catch_up = self._reconnected
            if self._reconnected:
                yield Reconnected(last)
            while True:
                if catch_up:
                    for event in await self._opener.replay(self._member_id, last):
                        if event.id > last:
                            yield event
                            last = event.id
                catch_up = False
                while not catch_up:
                    # Inline, not a helper coroutine: an idle stream waits here for hours, and every
                    # frame it waits in costs memory per open stream.
                    item: MemberEvent | Heartbeat | None
                    try:
                        async with asyncio.timeout(self._opener.heartbeat_seconds):
                            item = await anext(self._subscription)
                    except TimeoutError:
                        item = Heartbeat()  # nothing for a while: lets proxies see a live connection
                    except StopAsyncIteration:
                        item = None
                    if item is None:
                        # The notifier gave up this subscription: listen again before reading the log.
                        await self._subscription.aclose()
                        self._subscription = self._opener.subscribe(self._member_id)
                        catch_up = True
                    elif isinstance(item, Heartbeat):
                        yield item
                    elif item.id == last + 1:
                        yield item
                        last = item.id
                    elif item.id > last + 1:
                        # Ids skipped: the log has the missing ones (and this one, committed before it was sent).
                        catch_up = True
        finally:
            await self._subscription.aclose()
