from __future__ import annotations

from pathlib import Path

import pytest

from pullit_web.settings import SettingsError
from tests.support.app import make_settings


def test_the_s3_secret_never_shows_in_the_settings_repr(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, storage="s3", s3_bucket="b", s3_access_key_id="AKIAEXAMPLE", s3_secret_access_key="s3cr3t-value"
    )

    assert "s3cr3t-value" not in repr(settings)
    assert "AKIAEXAMPLE" in repr(settings)


def test_s3_needs_a_bucket(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="PULLIT_S3_BUCKET"):
        make_settings(tmp_path, storage="s3")


def test_storage_defaults_to_the_local_store_with_50_mib_uploads(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)

    assert settings.storage == "local"
    assert settings.max_upload_bytes == 50 * 1024 * 1024
    assert settings.files_base_url == "http://127.0.0.1:8000"
    assert make_settings(tmp_path, public_url="https://api.pullit.example/").files_base_url == (
        "https://api.pullit.example"
    )


def test_an_unknown_storage_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="PULLIT_STORAGE"):
        make_settings(tmp_path, storage="ftp")
