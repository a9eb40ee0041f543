from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from pullit_adapters.sql.mapping import start_mappers
from pullit_adapters.sql.migrate import upgrade
from pullit_web.bootstrap.app import create_app
from pullit_web.settings import Settings
from tests.support.app import make_settings
from tests.support.database import migrated_sqlite
from tests.support.services import fresh_mariadb_database

# A copy of shared/fixtures/pdf, so a fresh clone tests on its own.
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"

start_mappers()


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    if not FIXTURES.is_dir():
        pytest.fail(f"fixture PDFs not found at {FIXTURES}")
    return FIXTURES


@pytest.fixture(scope="session")
def mariadb_url() -> Iterator[str]:
    """A migrated MariaDB database of this test session."""
    with fresh_mariadb_database() as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("sqlite") / "pullit.db"
    return migrated_sqlite(path)


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    return make_settings(tmp_path, database_url=sqlite_url)


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as client:
        yield client
