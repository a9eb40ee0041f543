from __future__ import annotations

from collections.abc import Sequence

from pullit_adapters.memory.llm import CANNED_PAGE


class StaticPageText:
    """The ``PageText`` port for documents that are not real PDFs: the same pages for every
    document (by default one page holding ``CannedLLM``'s quote)."""

    def __init__(self, pages: Sequence[str] = (CANNED_PAGE,)) -> None:
        self._pages = list(pages)

    async def pages(self, data: bytes, name: str) -> list[str]:
        return list(self._pages)
