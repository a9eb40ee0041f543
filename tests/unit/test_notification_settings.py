"""Notification settings: refused at start when they cannot work, and the Redis URL never printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pullit_web.settings import SettingsError
from tests.support.app import make_settings


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"redis_url": "http://cache:6379"}, "PULLIT_REDIS_URL"),
        ({"workers": "4"}, "PULLIT_REDIS_URL"),
        ({"sse_heartbeat_seconds": "0"}, "PULLIT_SSE_HEARTBEAT_SECONDS"),
        ({"outbox_poll_seconds": "-1"}, "PULLIT_OUTBOX_POLL_SECONDS"),
    ],
)
def test_unworkable_values_stop_the_service_naming_the_variable(
    tmp_path: Path, overrides: dict[str, str], named: str
) -> None:
    with pytest.raises(SettingsError, match=named):
        make_settings(tmp_path, **overrides)


def test_several_workers_with_redis_are_fine_and_the_url_stays_hidden(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, workers="4", redis_url="redis://:s3cret@cache:6379/0")
    assert (settings.workers, settings.redis_url) == (4, "redis://:s3cret@cache:6379/0")
    assert "s3cret" not in repr(settings)
    assert (settings.sse_heartbeat_seconds, settings.outbox_poll_seconds) == (15.0, 2.0)
