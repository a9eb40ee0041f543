"""Deferred writes on MariaDB: they reach the database in the order they were made, with the
next statement or the COMMIT, all of a transaction or none of it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from pullit_adapters.sql.asyncmy_dialect import DEFERRABLE
from pullit_adapters.sql.engine import create_engine, session_factory

probes = Table(
    "deferred_write_probes",
    MetaData(),
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("n", Integer, nullable=False),
)


@pytest.fixture
async def engine(mariadb_url: str) -> AsyncIterator[AsyncEngine]:
    # One connection, so a later transaction runs on the connection an earlier one left.
    engine = create_engine(mariadb_url, pool_size=1, max_overflow=0)
    async with engine.begin() as connection:
        await connection.run_sync(probes.drop, checkfirst=True)
        await connection.run_sync(probes.create)
    yield engine
    async with engine.begin() as connection:
        await connection.run_sync(probes.drop)
    await engine.dispose()


async def rows(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        return {name: n for name, n in (await connection.execute(select(probes.c.name, probes.c.n))).all()}


async def test_deferred_writes_commit_together_with_values_the_driver_escapes(engine: AsyncEngine) -> None:
    awkward = 'it\'s 100% "quoted"; DROP TABLE x; -- 한국어 \\ done'
    async with session_factory(engine)() as session:
        await session.execute(
            insert(probes), [{"name": awkward, "n": 1}, {"name": "b", "n": 2}], execution_options=DEFERRABLE
        )
        await session.execute(update(probes).where(probes.c.name == "b").values(n=20), {}, execution_options=DEFERRABLE)
        await session.commit()

    assert await rows(engine) == {awkward: 1, "b": 20}


async def test_a_read_after_deferred_writes_sees_them_and_gets_its_own_rows(engine: AsyncEngine) -> None:
    async with session_factory(engine)() as session:
        await session.execute(
            insert(probes), [{"name": "a", "n": 1}, {"name": "b", "n": 2}], execution_options=DEFERRABLE
        )
        read = (await session.execute(select(probes.c.name, probes.c.n).order_by(probes.c.name))).all()
        new = await session.execute(insert(probes).values(name="c", n=3))
        await session.commit()

    assert [tuple(row) for row in read] == [("a", 1), ("b", 2)]
    # A statement that is not deferred still reports its own result (here the new row's id).
    assert new.inserted_primary_key is not None
    async with engine.connect() as connection:
        assert (await connection.scalar(select(probes.c.name).where(probes.c.id == new.inserted_primary_key[0]))) == "c"


async def test_a_deferred_write_that_breaks_a_unique_key_leaves_nothing_of_its_transaction(
    engine: AsyncEngine,
) -> None:
    async with session_factory(engine)() as session:
        await session.execute(insert(probes), {"name": "taken", "n": 1})
        await session.commit()

    with pytest.raises(IntegrityError):
        async with session_factory(engine)() as session:
            await session.execute(insert(probes).values(name="first", n=1))  # sent at once
            await session.execute(insert(probes), {"name": "second", "n": 2}, execution_options=DEFERRABLE)
            await session.execute(insert(probes), {"name": "taken", "n": 3}, execution_options=DEFERRABLE)
            await session.execute(insert(probes), {"name": "third", "n": 4}, execution_options=DEFERRABLE)
            await session.commit()

    assert await rows(engine) == {"taken": 1}


async def test_a_rollback_drops_the_waiting_writes_for_good(engine: AsyncEngine) -> None:
    async with session_factory(engine)() as session:
        await session.execute(insert(probes), {"name": "dropped", "n": 1}, execution_options=DEFERRABLE)
        await session.rollback()
    async with session_factory(engine)() as session:
        await session.execute(insert(probes), {"name": "kept", "n": 2}, execution_options=DEFERRABLE)
        await session.commit()
    async with session_factory(engine)() as session:
        await session.execute(insert(probes), {"name": "abandoned", "n": 3}, execution_options=DEFERRABLE)
        # closed without commit: the pool's reset rolls back

    assert await rows(engine) == {"kept": 2}


async def test_statements_not_deferred_run_at_once(engine: AsyncEngine) -> None:
    async with session_factory(engine)() as session:
        await session.execute(insert(probes), {"name": "now", "n": 1})
        # Another connection cannot see it before the commit, but this transaction's row lock
        # shows it was written: the same key from this transaction is refused at once.
        with pytest.raises(IntegrityError):
            await session.execute(insert(probes), {"name": "now", "n": 2})


async def in_transaction(engine: AsyncEngine) -> int:
    """Whether the (single) pooled connection is inside a transaction before this session touches a table."""
    async with session_factory(engine)() as session:
        return int((await session.execute(text("SELECT @@in_transaction"))).scalar_one())


async def test_no_rollback_follows_a_commit_and_the_connection_goes_back_clean(
    engine: AsyncEngine, mariadb_queries: list[str]
) -> None:
    async with session_factory(engine)() as session:
        await session.execute(insert(probes), {"name": "a", "n": 1})
        await session.commit()

    assert mariadb_queries[-1] == "COMMIT"
    assert await in_transaction(engine) == 0
    assert await rows(engine) == {"a": 1}


async def test_a_session_that_only_read_still_ends_its_transaction(
    engine: AsyncEngine, mariadb_queries: list[str]
) -> None:
    async with session_factory(engine)() as session:
        await session.execute(select(probes.c.name))
    assert mariadb_queries[-1] == "ROLLBACK"
    assert await in_transaction(engine) == 0

    # A session whose rollback is its own: the pool does not roll back a second time.
    async with session_factory(engine)() as session:
        await session.execute(select(probes.c.name))
        await session.rollback()
    assert mariadb_queries[-2:] == ["SELECT deferred_write_probes.name \nFROM deferred_write_probes", "ROLLBACK"]
