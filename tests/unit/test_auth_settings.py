"""Sign-in settings: the local page only on loopback, Kakao only as a complete client."""

from __future__ import annotations

from pathlib import Path

import pytest

from pullit_web.settings import Settings, SettingsError, load_settings


def load(tmp_path: Path, **environ: str) -> Settings:
    return load_settings(
        {"PULLIT_DATA_DIR": str(tmp_path), "PULLIT_SECRET_KEY": "k" * 40, **environ}, env_file=tmp_path / "no.env"
    )


def test_local_sign_in_is_the_default_on_loopback_without_kakao(tmp_path: Path) -> None:
    assert load(tmp_path).local_login_enabled
    assert load(tmp_path, PULLIT_HOST="::1").local_login_enabled
    assert not load(tmp_path, PULLIT_HOST="0.0.0.0").local_login_enabled
    kakao = {"PULLIT_KAKAO_CLIENT_ID": "id", "PULLIT_KAKAO_CLIENT_SECRET": "secret"}
    assert not load(tmp_path, **kakao).local_login_enabled
    assert load(tmp_path, PULLIT_LOCAL_LOGIN="true", **kakao).local_login_enabled


def test_local_sign_in_on_a_public_address_stops_the_service(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"PULLIT_LOCAL_LOGIN .* loopback"):
        load(tmp_path, PULLIT_LOCAL_LOGIN="true", PULLIT_HOST="0.0.0.0")


def test_a_kakao_client_needs_both_id_and_secret(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="PULLIT_KAKAO_CLIENT_ID and PULLIT_KAKAO_CLIENT_SECRET"):
        load(tmp_path, PULLIT_KAKAO_CLIENT_ID="id")


def test_the_kakao_secret_is_never_printed(tmp_path: Path) -> None:
    settings = load(tmp_path, PULLIT_KAKAO_CLIENT_ID="id", PULLIT_KAKAO_CLIENT_SECRET="very-secret-value")

    assert "very-secret-value" not in repr(settings)


def test_redirect_origins_default_to_the_frontend_and_cors_origins(tmp_path: Path) -> None:
    settings = load(
        tmp_path, PULLIT_FRONTEND_URL="https://pullit.example/app", PULLIT_CORS_ORIGINS="https://Other.example:8443"
    )
    configured = load(tmp_path, PULLIT_LOGIN_REDIRECT_ORIGINS="https://only.example")

    assert settings.redirect_origins == {"https://pullit.example", "https://other.example:8443"}
    assert configured.redirect_origins == {"https://only.example"}


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PULLIT_LOGIN_REDIRECT_ORIGINS": "pullit.example"}, "is not an http\\(s\\) URL"),
        ({"PULLIT_PUBLIC_URL": "ftp://pullit.example"}, "is not an http\\(s\\) URL"),
        ({"PULLIT_REFRESH_COOKIE_PATH": "auth"}, "PULLIT_REFRESH_COOKIE_PATH: Expected `str` matching regex '\\^/'"),
        ({"PULLIT_KAKAO_TIMEOUT_SECONDS": "0"}, "PULLIT_KAKAO_TIMEOUT_SECONDS: Expected `float` > 0"),
    ],
)
def test_malformed_sign_in_settings_are_refused(tmp_path: Path, environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load(tmp_path, **environ)
