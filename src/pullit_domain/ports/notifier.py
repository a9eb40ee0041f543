from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from pullit_domain.model.notification import MemberEvent


class Subscription(Protocol):
    """A member's live event stream; ``aclose`` releases it."""

    def __aiter__(self) -> AsyncIterator[MemberEvent]: ...

    async def __anext__(self) -> MemberEvent: ...

    async def aclose(self) -> None: ...


class Notifier(Protocol):
    """Delivers member events to every listener of that member, on any instance.

    Contract:
    - ``publish`` hands an already-recorded event to all current subscribers of its member
      (on every instance when the adapter spans instances). It never blocks on slow
      subscribers and never raises because nobody listens.
    - ``subscribe`` registers at once and yields that member's events published after
      the call, in publish order; ``aclose()`` on the subscription releases it.
      The iteration may end (``StopAsyncIteration``) when the adapter can no longer vouch that
      no event was missed (e.g. its broker connection was reset); the listener then subscribes
      again and catches up from the durable log.
      Replay of older events by id is done from the durable log, not by the notifier.
    """

    async def publish(self, event: MemberEvent) -> None: ...

    def subscribe(self, member_id: int) -> Subscription: ...
