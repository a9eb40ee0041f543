"""Migrations build exactly the schema the code maps, on SQLite and MariaDB, and go back down."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from pullit_adapters.sql.engine import create_engine
from pullit_adapters.sql.migrate import downgrade, upgrade
from pullit_adapters.sql.tables import metadata
from tests.support.services import fresh_mariadb_database


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    return list(compare_metadata(context, metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _check(url: str) -> tuple[list[object], set[str]]:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
            tables = await connection.run_sync(_tables)
    finally:
        await engine.dispose()
    return differences, tables


@pytest.fixture(params=["sqlite", "mariadb"])
def empty_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('migrate') / 'm.db'}"
    else:
        with fresh_mariadb_database() as url:
            yield url


async def test_upgrade_matches_the_mapped_schema_and_downgrade_empties_it(empty_database: str) -> None:
    import asyncio

    await asyncio.to_thread(upgrade, empty_database)
    differences, tables = await _check(empty_database)
    assert differences == []
    assert set(metadata.tables) <= tables

    await asyncio.to_thread(downgrade, empty_database, "base")
    _, tables = await _check(empty_database)
    assert tables <= {"alembic_version"}
