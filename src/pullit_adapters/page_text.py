"""The ``PageText`` port on PDFium (pypdfium2): each page's text layer, for checking quotes.

PDFium extracts the fixtures' text as pypdf does, character for character once compared in
the normal form of ``pullit_domain.grounding``, at about a seventh of the CPU (see
docs/performance.md, "Grounding questions").
"""

from __future__ import annotations

import asyncio
import threading

import pypdfium2 as pdfium

from pullit_domain.ports.llm import GenerationImpossible

# PDFium is not thread-safe: one document at a time per process, whichever thread asks.
_PDFIUM = threading.Lock()

NOT_A_PDF = "'{name}' is not a PDF"
ENCRYPTED = "'{name}' is encrypted with a password"
UNREADABLE = "'{name}' is damaged or unreadable"


class PdfiumPageText:
    async def pages(self, data: bytes, name: str) -> list[str]:
        return await asyncio.to_thread(extract_pages, data, name)


def extract_pages(data: bytes, name: str) -> list[str]:
    """The text of each page (index 0 is page 1); ``GenerationImpossible`` for an unreadable file."""
    if not data.lstrip()[:5] == b"%PDF-":
        raise GenerationImpossible(NOT_A_PDF.format(name=name))
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            if "password" in str(error).lower():
                raise GenerationImpossible(ENCRYPTED.format(name=name)) from None
            raise GenerationImpossible(UNREADABLE.format(name=name)) from None
        try:
            return [_page_text(document, index) for index in range(len(document))]
        except pdfium.PdfiumError:
            raise GenerationImpossible(UNREADABLE.format(name=name)) from None
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
