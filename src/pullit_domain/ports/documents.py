from __future__ import annotations

from typing import Protocol


class PageCounter(Protocol):
    """Reads a PDF's page count.

    Contract: returns ``None`` (never raises) for an encrypted, corrupt or otherwise
    unreadable document. It may be slow; call it from background work only.
    """

    async def count_pages(self, data: bytes) -> int | None: ...
