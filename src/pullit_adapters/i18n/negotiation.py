"""Choosing a response language from ``Accept-Language`` (RFC 9110 §12.5.4) with Babel."""

from __future__ import annotations

import re
from collections.abc import Sequence

from babel.core import negotiate_locale

_TAG = re.compile(r"^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$")


def preferred_languages(header: str | None) -> list[str]:
    """The header's language tags, most wanted first (by quality, then as written); q=0 and
    malformed entries are left out."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        tag, *params = (piece.strip() for piece in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if _TAG.match(tag) and 0 < quality <= 1:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def negotiate_language(header: str | None, available: Sequence[str], default: str) -> str:
    """The best of ``available`` for ``header``; ``default`` for ``*``, nothing usable, or no header."""
    preferred = [tag.replace("-", "_") for tag in preferred_languages(header) if tag != "*"]
    chosen = negotiate_locale(preferred, list(available), sep="_")
    return chosen.lower() if chosen else default
