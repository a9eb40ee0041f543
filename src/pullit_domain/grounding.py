"""Is a question's quote really on the page it cites? Checked against the PDF's own text.

Text extraction mangles layout, not words, so both sides are compared in a normal form
that keeps only the letters and digits, in order: NFKC (ligatures such as "ﬁ", full-width
forms, compatibility characters), case folded, with whitespace, line breaks, hyphens
(so a word hyphenated at a line end joins up again) and punctuation removed. Every
letter of the quote must then appear, contiguous and in order, on the page: a changed,
added or missing word fails.

A quote found whole on the page before or after the cited one moves the citation there;
a passage that runs over a page break (the end of one page, the top of the next) counts
for the page where it starts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

# Shorter than this, a "quote" is a few words that could sit on any page.
MIN_QUOTE_SIGNS = 10
# How far from the end of a page (and the start of the next) a page-crossing passage may sit,
# in normal-form characters: room for a running footer or header and a page number.
_PAGE_EDGE = 40
_NOT_A_SIGN = re.compile(r"[\W_]+")


def normal_form(text: str) -> str:
    return _NOT_A_SIGN.sub("", unicodedata.normalize("NFKC", text).casefold())


class PageIndex:
    """The text of the pages read so far of a job's documents, each normalised at most once.

    ``locate`` only looks at pages it holds: whoever fills it (``JobPages``) reads the cited
    pages first and the neighbours of the quotes not found there.
    """

    def __init__(self, pages: Mapping[int, Sequence[str]] | None = None) -> None:
        self._sources: set[int] = set()
        self._raw: dict[tuple[int, int], str] = {}
        self._normal: dict[tuple[int, int], str] = {}
        for source_id, texts in (pages or {}).items():
            self.add(source_id, dict(enumerate(texts, start=1)))

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._sources

    def add(self, source_id: int, pages: Mapping[int, str]) -> None:
        self._sources.add(source_id)
        self._raw.update(((source_id, number), text) for number, text in pages.items())

    def holds(self, source_id: int, page: int) -> bool:
        return (source_id, page) in self._raw

    def _page(self, source_id: int, page: int) -> str | None:
        key = (source_id, page)
        cached = self._normal.get(key)
        if cached is None:
            raw = self._raw.get(key)
            if raw is None:
                return None
            cached = self._normal[key] = normal_form(raw)
        return cached

    def found_on(self, quote: str, source_id: int, page: int) -> bool:
        text = self._page(source_id, page)
        return text is not None and normal_form(quote) in text

    def locate(self, quote: str, source_id: int, page: int) -> int | None:
        """The page that holds ``quote``: ``page`` itself, a neighbour, or None when neither does."""
        wanted = normal_form(quote)
        if len(wanted) < MIN_QUOTE_SIGNS:
            return None
        for candidate in (page, page - 1, page + 1):
            text = self._page(source_id, candidate)
            if text is not None and wanted in text:
                return candidate
        for start in (page - 1, page):
            if self._crosses(wanted, source_id, start):
                return start
        return None

    def _crosses(self, wanted: str, source_id: int, start: int) -> bool:
        first, second = self._page(source_id, start), self._page(source_id, start + 1)
        if not first or not second:
            return False
        tail = first[-(len(wanted) + _PAGE_EDGE) :]
        # The longest beginning of the quote that the page's end holds (holding is monotone in length).
        low, high = 0, len(wanted)
        while low < high:
            middle = (low + high + 1) // 2
            if wanted[:middle] in tail:
                low = middle
            else:
                high = middle - 1
        if not 0 < low < len(wanted):
            return False
        after_first = len(tail) - tail.rfind(wanted[:low]) - low
        before_rest = second.find(wanted[low:])
        return after_first <= _PAGE_EDGE and 0 <= before_rest <= _PAGE_EDGE
