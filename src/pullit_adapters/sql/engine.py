from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "mysql+asyncmy", "mariadb+asyncmy")


def create_engine(
    url: str, *, echo: bool = False, pool_size: int = 10, max_overflow: int | None = None, pool_timeout: float = 30.0
) -> AsyncEngine:
    """An async engine tuned for the backend: MariaDB over asyncmy or a SQLite file.

    A process holds at most ``pool_size + max_overflow`` (default twice ``pool_size``) MariaDB
    connections; a request that finds none free waits ``pool_timeout`` seconds, then fails as
    unavailable (503).
    """
    parsed = make_url(url)
    if parsed.drivername not in SUPPORTED_DRIVERS:
        raise ValueError(
            f"unsupported database driver {parsed.drivername!r}; use one of {', '.join(SUPPORTED_DRIVERS)}"
        )
    if parsed.get_backend_name() == "sqlite":
        engine = create_async_engine(parsed, echo=echo, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return create_async_engine(
        parsed,
        echo=echo,
        pool_size=pool_size,
        max_overflow=pool_size if max_overflow is None else max_overflow,
        pool_timeout=pool_timeout,
        pool_pre_ping=True,
        pool_recycle=1800,
        isolation_level="READ COMMITTED",
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Entities outlive their unit of work, so nothing may expire on commit.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
