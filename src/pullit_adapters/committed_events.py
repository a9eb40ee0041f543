"""The events one unit of work recorded, handed to the dispatcher only once they are committed."""

from __future__ import annotations

from pullit_domain.events import Event
from pullit_domain.ports.events import EventDispatch


class CommittedEvents:
    def __init__(self, dispatch: EventDispatch | None) -> None:
        self._dispatch = dispatch
        self._pending: list[Event] = []

    def record(self, event: Event) -> None:
        self._pending.append(event)

    def committed(self) -> None:
        """The transaction holding the recorded events committed: tell the dispatcher."""
        events, self._pending = self._pending, []
        if events and self._dispatch is not None:
            self._dispatch(events)

    def discard(self) -> None:
        """The transaction ended without a commit: what it recorded never happened."""
        self._pending.clear()
