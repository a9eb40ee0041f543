"""Settings are read once, validated at start, and never print secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from pullit_web.settings import SettingsError, load_settings


def load(tmp_path: Path, **environ: str) -> object:
    return load_settings({"PULLIT_DATA_DIR": str(tmp_path), **environ}, env_file=tmp_path / "absent.env")


def test_no_configuration_means_a_sqlite_file_in_the_data_directory(tmp_path: Path) -> None:
    settings = load_settings({"PULLIT_DATA_DIR": str(tmp_path)}, env_file=tmp_path / "absent.env")

    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'pullit.db'}"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.migrates_on_start


def test_the_generated_secret_survives_a_restart_and_is_private(tmp_path: Path) -> None:
    first = load_settings({"PULLIT_DATA_DIR": str(tmp_path)}, env_file=tmp_path / "absent.env")
    second = load_settings({"PULLIT_DATA_DIR": str(tmp_path)}, env_file=tmp_path / "absent.env")

    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 32
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PULLIT_DATABASE_URL": "not a url"}, "PULLIT_DATABASE_URL: not a database URL"),
        ({"PULLIT_DATABASE_URL": "postgresql://db/pullit"}, "PULLIT_DATABASE_URL: unsupported driver 'postgresql'"),
        ({"PULLIT_DATABASE_URL": "mysql+asyncmy://root@db:3306"}, "PULLIT_DATABASE_URL: names no database"),
        ({"PULLIT_PORT": "eighty"}, "PULLIT_PORT: Expected `int`"),
        ({"PULLIT_PORT": "70000"}, "PULLIT_PORT: 70000 is not a TCP port"),
        ({"PULLIT_LOG_LEVEL": "LOUD"}, "PULLIT_LOG_LEVEL"),
        ({"PULLIT_TIME_ZONE": "Mars/Olympus"}, "PULLIT_TIME_ZONE: unknown time zone"),
        ({"PULLIT_SECRET_KEY": "short"}, "PULLIT_SECRET_KEY must be at least 32 characters"),
        ({"PULLIT_DATABSE_URL": "sqlite+aiosqlite:///x.db"}, "unknown setting PULLIT_DATABSE_URL"),
        (
            {"PULLIT_DATABASE_URL": "mysql+asyncmy://root@db:3306/pullit"},
            "PULLIT_SECRET_KEY is required when the database is shared",
        ),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(tmp_path: Path, environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"PULLIT_DATA_DIR": str(tmp_path), **environ}, env_file=tmp_path / "absent.env")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_environment_wins_over_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PULLIT_PORT=9000\nPULLIT_TIME_ZONE=UTC\nOTHER=ignored\n")

    settings = load_settings({"PULLIT_DATA_DIR": str(tmp_path), "PULLIT_PORT": "9100"}, env_file=env_file)

    assert (settings.port, settings.time_zone) == (9100, "UTC")


def test_lists_are_comma_separated(tmp_path: Path) -> None:
    settings = load_settings(
        {"PULLIT_DATA_DIR": str(tmp_path), "PULLIT_CORS_ORIGINS": "https://a.example, https://b.example"},
        env_file=tmp_path / "absent.env",
    )
    assert settings.cors_origins == ("https://a.example", "https://b.example")


def test_repr_hides_secrets(tmp_path: Path) -> None:
    secret = "s3cr3t-" * 6
    settings = load_settings(
        {
            "PULLIT_DATA_DIR": str(tmp_path),
            "PULLIT_SECRET_KEY": secret,
            "PULLIT_DATABASE_URL": "mysql+asyncmy://root:hunter2@db:3306/pullit",
        },
        env_file=tmp_path / "absent.env",
    )
    shown = repr(settings)
    assert secret not in shown
    assert "hunter2" not in shown
    assert "<hidden>" in shown


@pytest.mark.parametrize(
    ("environ", "default_language", "question_language"),
    [
        ({}, "ko", None),
        ({"PULLIT_DEFAULT_LANGUAGE": "en"}, "en", None),
        ({"PULLIT_QUESTION_LANGUAGE": "en"}, "ko", "en"),
    ],
)
def test_languages_default_to_korean_and_the_members_own(
    tmp_path: Path, environ: dict[str, str], default_language: str, question_language: str | None
) -> None:
    settings = load_settings({"PULLIT_DATA_DIR": str(tmp_path), **environ}, env_file=tmp_path / "absent.env")

    assert settings.default_language == default_language
    assert settings.generation_settings.language == question_language


@pytest.mark.parametrize("value", ["fr", "", "ko-KR"])
def test_a_default_language_without_a_catalog_stops_the_service(tmp_path: Path, value: str) -> None:
    with pytest.raises(SettingsError, match="PULLIT_DEFAULT_LANGUAGE must be one of ko, en"):
        load_settings({"PULLIT_DATA_DIR": str(tmp_path), "PULLIT_DEFAULT_LANGUAGE": value}, env_file=tmp_path / "a.env")
