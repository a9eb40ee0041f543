from __future__ import annotations

import re
from urllib.parse import quote

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9 ._()\[\]-]")


def attachment(filename: str) -> str:
    """``Content-Disposition`` for a download under ``filename`` (RFC 6266 with an RFC 5987 UTF-8 name).

    The plain ``filename`` is an ASCII stand-in for old clients; quotes, backslashes and
    line breaks never reach the header.
    """
    fallback = _UNSAFE_ASCII.sub("_", filename).strip() or "download.pdf"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
