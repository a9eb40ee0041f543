from __future__ import annotations

from collections.abc import Collection, Sequence

from pullit_adapters.memory.llm import CANNED_PAGE


class StaticPageText:
    """The ``PageText`` port for documents that are not real PDFs: the same pages for every
    document (by default one page holding ``CannedLLM``'s quote)."""

    def __init__(self, pages: Sequence[str] = (CANNED_PAGE,)) -> None:
        self._pages = list(pages)

    async def has_text(self, data: bytes, name: str) -> bool:
        return any(page.strip() for page in self._pages)

    async def pages(self, data: bytes, name: str, numbers: Collection[int]) -> dict[int, str]:
        return {n: self._pages[n - 1] for n in numbers if 1 <= n <= len(self._pages)}
