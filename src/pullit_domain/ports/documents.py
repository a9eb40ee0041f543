from __future__ import annotations

from typing import Protocol


class PageCounter(Protocol):
    """Reads a PDF's page count.

    Contract: returns ``None`` (never raises) for an encrypted, corrupt or otherwise
    unreadable document. It may be slow; call it from background work only.
    """

    async def count_pages(self, data: bytes) -> int | None: ...


class PageText(Protocol):
    """Reads the text layer of a PDF, page by page, for checking quotes against it.

    Contract: returns one string per page (index 0 is page 1), ``""`` for a page that has
    no text (a scanned image). Raises ``pullit_domain.ports.llm.GenerationImpossible`` for a
    document it cannot read at all (not a PDF, encrypted, damaged). It may be slow; it
    must not block the event loop.
    """

    async def pages(self, data: bytes, name: str) -> list[str]: ...
