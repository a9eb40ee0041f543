from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from pullit_adapters.memory import InMemoryDatabase
from pullit_adapters.sql.engine import create_engine, session_factory
from pullit_adapters.sql.unit_of_work import SqlUnitOfWork
from pullit_domain.ports.repository import UnitOfWorkFactory

BACKENDS = ["memory", "sqlite", "mariadb"]


@pytest.fixture(params=BACKENDS)
async def uow_factory(request: pytest.FixtureRequest) -> AsyncIterator[UnitOfWorkFactory]:
    """The same repository contract, run against the fake and both real databases."""
    if request.param == "memory":
        yield InMemoryDatabase().unit_of_work
        return
    url = request.getfixturevalue(f"{request.param}_url")
    engine = create_engine(url, pool_size=2)
    sessions = session_factory(engine)
    try:
        yield lambda: SqlUnitOfWork(sessions)
    finally:
        await engine.dispose()
