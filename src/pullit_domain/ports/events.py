from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pullit_domain.events import Event


class EventDispatch(Protocol):
    """Routes committed events to their handlers.

    Contract: called by a unit of work right after its commit succeeded, with the events its
    use case recorded, in order. It must not block or raise: handlers only wake durable work.
    """

    def __call__(self, events: Sequence[Event]) -> None: ...
