"""The connection pool of a process is sized by settings and reaches the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from pullit_adapters.sql.engine import create_engine
from pullit_web.settings import SettingsError, load_settings

MARIADB = "mysql+asyncmy://pullit@db:3306/pullit"


def load(tmp_path: Path, **environ: str):  # type: ignore[no-untyped-def]
    return load_settings(
        {"PULLIT_DATA_DIR": str(tmp_path), "PULLIT_SECRET_KEY": "s" * 40, **environ}, env_file=tmp_path / "absent.env"
    )


def test_the_pool_bursts_to_twice_its_size_unless_told(tmp_path: Path) -> None:
    settings = load(tmp_path, PULLIT_DATABASE_URL=MARIADB, PULLIT_DB_POOL_SIZE="4")
    pool = create_engine(settings.database_url, pool_size=settings.db_pool_size).sync_engine.pool

    assert (pool.size(), pool._max_overflow, pool._timeout) == (4, 4, 30.0)  # type: ignore[attr-defined]


def test_overflow_and_wait_are_settings(tmp_path: Path) -> None:
    settings = load(
        tmp_path,
        PULLIT_DATABASE_URL=MARIADB,
        PULLIT_DB_POOL_SIZE="6",
        PULLIT_DB_MAX_OVERFLOW="0",
        PULLIT_DB_POOL_TIMEOUT_SECONDS="2.5",
    )
    engine = create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
    )

    assert (engine.sync_engine.pool.size(), engine.sync_engine.pool._max_overflow) == (6, 0)  # type: ignore[attr-defined]
    assert engine.sync_engine.pool._timeout == 2.5  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"PULLIT_DB_MAX_OVERFLOW": "-1"}, "PULLIT_DB_MAX_OVERFLOW"),
        ({"PULLIT_DB_POOL_TIMEOUT_SECONDS": "0"}, "PULLIT_DB_POOL_TIMEOUT_SECONDS"),
    ],
)
def test_a_negative_overflow_or_no_wait_is_refused(tmp_path: Path, environ: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        load(tmp_path, **environ)
