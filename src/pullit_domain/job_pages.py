"""The pages of one generation job's documents, read from the PDFs as the quotes need them.

A page is read once per job, however many questions cite it: the cited pages of a batch of
questions in one go, then the neighbours of the quotes not found on their cited page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from pullit_domain.grounding import PageIndex
from pullit_domain.ports.documents import PageText


class JobPages:
    def __init__(self, reader: PageText, documents: Mapping[int, tuple[bytes, str]]) -> None:
        """``documents``: each source id's PDF bytes and name."""
        self._reader = reader
        self._documents = documents
        self._asked: set[tuple[int, int]] = set()
        self.index = PageIndex()
        for source_id in documents:
            self.index.add(source_id, {})

    async def load(self, wanted: Iterable[tuple[int, int]]) -> None:
        """Read the pages ``(source id, page)`` not read yet (unknown sources are ignored)."""
        missing: dict[int, set[int]] = defaultdict(set)
        for source_id, page in wanted:
            if source_id in self._documents and page >= 1 and (source_id, page) not in self._asked:
                missing[source_id].add(page)
        for source_id, pages in missing.items():
            data, name = self._documents[source_id]
            self.index.add(source_id, await self._reader.pages(data, name, pages))
            self._asked.update((source_id, page) for page in pages)

    async def locate_all(self, cited: list[tuple[str, int, int]]) -> list[int | None]:
        """For each ``(quote, source id, page)``, the page that holds the quote, or None."""
        await self.load((source_id, page) for _, source_id, page in cited)
        elsewhere = [(s, p) for quote, s, p in cited if not self.index.found_on(quote, s, p)]
        await self.load((s, near) for s, p in elsewhere for near in (p - 1, p + 1))
        return [self.index.locate(quote, source_id, page) for quote, source_id, page in cited]
