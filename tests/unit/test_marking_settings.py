"""PULLIT_SUBJECTIVE_PASS_SCORE: the model score at or above which a written answer is correct."""

from __future__ import annotations

from pathlib import Path

import pytest

from pullit_web.settings import SettingsError
from tests.support.app import make_settings


def test_the_pass_score_defaults_to_sixty_percent(tmp_path: Path) -> None:
    assert make_settings(tmp_path).subjective_pass_score == 0.6
    assert make_settings(tmp_path, subjective_pass_score="0.8").subjective_pass_score == 0.8


@pytest.mark.parametrize("value", ["0", "1.5", "-0.1"])
def test_a_pass_score_outside_zero_to_one_stops_the_service(tmp_path: Path, value: str) -> None:
    with pytest.raises(SettingsError, match="PULLIT_SUBJECTIVE_PASS_SCORE"):
        make_settings(tmp_path, subjective_pass_score=value)
