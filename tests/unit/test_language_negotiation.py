"""Which language a response speaks: ``Accept-Language`` with quality values, else the default."""

from __future__ import annotations

import pytest

from pullit_adapters.i18n import negotiate_language, preferred_languages

AVAILABLE = ("ko", "en")


@pytest.mark.parametrize(
    ("header", "default", "expected"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.8", "en", "ko"),
        ("en", "ko", "en"),
        ("en-US,en;q=0.9,ko;q=0.8", "ko", "en"),
        ("*", "ko", "ko"),
        ("*", "en", "en"),
        ("garbage", "ko", "ko"),
        (";;,q=,=;", "en", "en"),
        ("", "ko", "ko"),
        (None, "en", "en"),
        ("fr-FR, en;q=0.5", "ko", "en"),
        ("en;q=0.1, ko;q=0.9", "en", "ko"),
        ("en;q=0, ko", "en", "ko"),
        ("ko;q=abc, en;q=0.5", "ko", "en"),
        ("EN-gb", "ko", "en"),
    ],
)
def test_negotiation(header: str | None, default: str, expected: str) -> None:
    assert negotiate_language(header, AVAILABLE, default) == expected


def test_quality_orders_the_preferences_and_ties_keep_their_order() -> None:
    assert preferred_languages("de;q=0.2, en;q=0.8, ko, fr;q=0.8") == ["ko", "en", "fr", "de"]
