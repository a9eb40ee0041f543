"""Database access for tests, apart from the app's own connections.

Litestar's test client runs the app's startup on another event loop; a pool made there must
not be used from the test's loop. Tests reach the database through an engine of their own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

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
