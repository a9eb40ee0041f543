"""The ``PageText`` port on PDFium (pypdfium2): each page's text layer, for checking quotes.

PDFium extracts the fixtures' text as pypdf does, character for character once compared in
the normal form of ``pullit_domain.grounding``, at a fifth to a seventh of the CPU, and reads
only the pages asked for (see docs/performance.md, "Grounding questions").
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium

from pullit_domain.ports.llm import GenerationImpossible

# PDFium is not thread-safe: one document at a time per process, whichever thread asks.
_PDFIUM = threading.Lock()


class PdfiumPageText:
    async def has_text(self, data: bytes, name: str) -> bool:
        return await asyncio.to_thread(has_text, data, name)

    async def pages(self, data: bytes, name: str, numbers: Collection[int]) -> dict[int, str]:
        return await asyncio.to_thread(extract, data, name, numbers)


def has_text(data: bytes, name: str) -> bool:
    """Whether any page has text; usually the first page answers."""
    with _opened(data, name) as document:
        return any(_page_text(document, index).strip() for index in range(len(document)))


def extract(data: bytes, name: str, numbers: Collection[int]) -> dict[int, str]:
    """The text of the pages ``numbers`` (1-based) that exist."""
    with _opened(data, name) as document:
        return {n: _page_text(document, n - 1) for n in sorted(set(numbers)) if 1 <= n <= len(document)}


def extract_pages(data: bytes, name: str) -> list[str]:
    """The text of every page (index 0 is page 1)."""
    with _opened(data, name) as document:
        return [_page_text(document, index) for index in range(len(document))]


@contextmanager
def _opened(data: bytes, name: str) -> Iterator[pdfium.PdfDocument]:
    """The document, under the process-wide PDFium lock; ``GenerationImpossible`` if unreadable."""
    if not data.lstrip()[:5] == b"%PDF-":
        raise GenerationImpossible("'{name}' is not a PDF", name=name)
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            if "password" in str(error).lower():
                raise GenerationImpossible("'{name}' is encrypted with a password", name=name) from None
            raise GenerationImpossible("'{name}' is damaged or unreadable", name=name) from None
        try:
            yield document
        except pdfium.PdfiumError:
            raise GenerationImpossible("'{name}' is damaged or unreadable", name=name) from None
        finally:
            document.close()


def _page_text(document: pdfium.PdfDocument, index: int) -> str:
    page = document[index]
    try:
        text_page = page.get_textpage()
        try:
            return str(text_page.get_text_range())
        finally:
            text_page.close()
    finally:
        page.close()
