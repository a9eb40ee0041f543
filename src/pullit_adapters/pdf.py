"""Page counts of PDFs with pypdf, off the event loop."""

from __future__ import annotations

import asyncio
import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

log = logging.getLogger("pullit.pdf")


class PypdfPageCounter:
    async def count_pages(self, data: bytes) -> int | None:
        return await asyncio.to_thread(count_pages, data)


def count_pages(data: bytes) -> int | None:
    """The page count, or ``None`` for an encrypted or unreadable document."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return None
        return len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as error:
        # pypdf surfaces corrupt files through many exception types; none is ours to fix.
        log.info("unreadable PDF: %s: %s", type(error).__name__, error)
        return None
