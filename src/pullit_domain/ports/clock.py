from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """The current instant.

    Contract: ``now()`` returns a timezone-aware datetime in UTC. Use cases never call
    ``datetime.now()`` themselves, so tests can run a simulated calendar.
    """

    def now(self) -> datetime: ...
