"""Database access for tests, apart from the app's own connections.

Litestar's test client runs the app's startup on another event loop; a pool made there must
not be used from the test's loop. Tests reach the database through an engine of their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from pullit_adapters.memory import InMemoryDatabase
from pullit_adapters.sql.engine import create_engine, session_factory
from pullit_adapters.sql.migrate import upgrade
from pullit_adapters.sql.unit_of_work import SqlUnitOfWork
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory


@asynccontextmanager
async def own_database(url: str) -> AsyncIterator[UnitOfWorkFactory]:
    """Units of work on the test's own event loop and pool."""
    engine = create_engine(url, pool_size=2)
    sessions = session_factory(engine)
    try:
        yield lambda: SqlUnitOfWork(sessions)
    finally:
        await engine.dispose()


def migrated_sqlite(path: Path) -> str:
    """The URL of a SQLite file at ``path``, created and migrated to the latest schema."""
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url)
    return url


READ_BACKENDS = ["memory", "sqlite", "mariadb"]
R = TypeVar("R")


@asynccontextmanager
async def reads_on(
    request: pytest.FixtureRequest,
    memory: Callable[[UnitOfWorkFactory], R],
    sql: Callable[[AsyncEngine], R],
) -> AsyncIterator[tuple[UnitOfWorkFactory, R]]:
    """Units of work to write with and a read adapter over the same data, on the backend named by
    ``request.param`` (one of ``READ_BACKENDS``): the in-memory fake, SQLite or MariaDB."""
    if request.param == "memory":
        database = InMemoryDatabase()
        yield database.unit_of_work, memory(database.unit_of_work)
        return
    engine = create_engine(request.getfixturevalue(f"{request.param}_url"), pool_size=2)
    sessions = session_factory(engine)
    try:
        yield (lambda: SqlUnitOfWork(sessions)), sql(engine)
    finally:
        await engine.dispose()
