from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from pullit_adapters.memory import InMemoryDatabase
from pullit_adapters.sql.engine import create_engine, session_factory
from pullit_adapters.sql.unit_of_work import SqlUnitOfWork
from pullit_domain.events import Event
from pullit_domain.ports.unit_of_work import UnitOfWorkFactory
from pullit_web.settings import Settings
from tests.support.database import own_database
from tests.support.mariadb_queries import sent_queries
from tests.support.notifications import Database, database

BACKENDS = ["memory", "sqlite", "mariadb"]


@pytest.fixture
def committed_events() -> list[Event]:
    """What the units of work of ``uow_factory`` dispatched after their commits, in order."""
    return []


@pytest.fixture(params=BACKENDS)
async def uow_factory(
    request: pytest.FixtureRequest, committed_events: list[Event]
) -> AsyncIterator[UnitOfWorkFactory]:
    """The same repository contract, run against the fake and both real databases."""
    if request.param == "memory":
        yield InMemoryDatabase(dispatch=committed_events.extend).unit_of_work
        return
    url = request.getfixturevalue(f"{request.param}_url")
    engine = create_engine(url, pool_size=2)
    sessions = session_factory(engine)
    try:
        yield lambda: SqlUnitOfWork(sessions, dispatch=committed_events.extend)
    finally:
        await engine.dispose()


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[UnitOfWorkFactory]:
    """The test app's own database (``settings``), on the test's event loop."""
    async with own_database(settings.database_url) as uow_factory:
        yield uow_factory


@pytest.fixture
async def mariadb_learners(mariadb_url: str) -> AsyncIterator[Database]:
    """Learners and their notifications in this session's MariaDB, for tests of live servers on it."""
    async with database(mariadb_url) as handle:
        yield handle


@pytest.fixture
def mariadb_queries() -> Iterator[list[str]]:
    """The SQL text of every query asyncmy sends from here on: one entry per round trip."""
    sent: list[str] = []
    with sent_queries(lambda _connection, sql: sent.append(sql)):
        yield sent
