"""The one dispatcher of committed domain events: each event type to the handlers that want it."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TypeVar

from pullit_domain.events import Event

log = logging.getLogger("pullit.events")

E = TypeVar("E", bound=Event)


class EventDispatcher:
    """Implements the domain's ``EventDispatch`` port; the composition root subscribes handlers.

    Handlers run synchronously right after the commit and must be quick (they wake loops); one
    that raises is logged and does not keep the others from running, because the use case has
    already succeeded.
    """

    def __init__(self) -> None:
        self._handlers: defaultdict[type[Event], list[Callable[[Event], None]]] = defaultdict(list)

    def subscribe(self, kind: type[E], handler: Callable[[E], None]) -> Callable[[], None]:
        """Route every committed ``kind`` to ``handler``; the returned function unsubscribes it."""
        handlers = self._handlers[kind]
        handlers.append(handler)  # type: ignore[arg-type]
        return lambda: handlers.remove(handler)  # type: ignore[arg-type]

    def __call__(self, events: Sequence[Event]) -> None:
        for event in events:
            for handler in tuple(self._handlers.get(type(event), ())):
                try:
                    handler(event)
                except Exception:
                    log.exception("a handler of %s failed", type(event).__name__)
