"""Reading a PDF's text page by page, refusing documents no retry could read."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from pullit_domain.ports.llm import GenerationImpossible

# pypdf reports every damaged xref it repairs at WARNING; the outcome is reported by us.
logging.getLogger("pypdf").setLevel(logging.ERROR)

# pypdf raises assorted built-in errors on damaged files besides its own.
_READ_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError)


def read_pages(data: bytes, name: str, max_pages: int) -> list[str]:
    """The text of each page (index 0 is page 1).

    Raises ``GenerationImpossible`` for a file that is not a PDF, is encrypted with a
    password, is damaged, or has more than ``max_pages`` pages.
    """
    if not data.lstrip()[:5] == b"%PDF-":
        raise GenerationImpossible("{name} is not a PDF", name=name)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise GenerationImpossible("{name} is encrypted with a password", name=name)
        page_count = len(reader.pages)
        if page_count > max_pages:
            raise GenerationImpossible(
                "{name} has {page_count} pages; at most {max_pages} are supported",
                name=name,
                page_count=page_count,
                max_pages=max_pages,
            )
        return [page.extract_text() or "" for page in reader.pages]
    except _READ_ERRORS as error:
        raise GenerationImpossible(
            "{name} is damaged or unreadable ({kind})", name=name, kind=type(error).__name__
        ) from error
