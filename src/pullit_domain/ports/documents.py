from __future__ import annotations

from collections.abc import Collection
from typing import Protocol


class PageCounter(Protocol):
    """Reads a PDF's page count.

    Contract: returns ``None`` (never raises) for an encrypted, corrupt or otherwise
    unreadable document. It may be slow; call it from background work only.
    """

    async def count_pages(self, data: bytes) -> int | None: ...


class PageText(Protocol):
    """Reads the text layer of a PDF's pages, for checking quotes against it.

    Contract: ``pages`` returns the text of each requested page that exists (1 = first
    page; ``""`` for a page without text, such as a scanned image) and leaves out numbers
    past the end. ``has_text`` says whether any page has text at all. Both raise
    ``pullit_domain.ports.llm.GenerationImpossible`` for a document they cannot read (not a
    PDF, encrypted, damaged). They may be slow; they must not block the event loop.
    """

    async def has_text(self, data: bytes, name: str) -> bool: ...

    async def pages(self, data: bytes, name: str, numbers: Collection[int]) -> dict[int, str]: ...
