from __future__ import annotations

import time
from typing import Any

import msgspec
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from pullit_adapters.sql.asyncmy_dialect import DRIVER

IDLE_BEFORE_PING_SECONDS = 1.0
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
        engine = create_async_engine(
            parsed, echo=echo, connect_args={"timeout": 30}, json_deserializer=msgspec.json.decode
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # Our asyncmy dialect (asyncmy_dialect.py: fewer round trips); the URL's backend is kept.
    parsed = parsed.update_query_dict({"charset": "utf8mb4"}).set(drivername=f"{parsed.get_backend_name()}+{DRIVER}")
    engine = create_async_engine(
        parsed,
        echo=echo,
        pool_size=pool_size,
        max_overflow=pool_size if max_overflow is None else max_overflow,
        pool_timeout=pool_timeout,
        pool_recycle=1800,
        isolation_level="READ COMMITTED",
        # JSON columns (a set's source ids, a question's options) are read on every hot page.
        json_deserializer=msgspec.json.decode,
    )
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Ping a pooled connection before use only when it sat idle for a while.

    A server restart, failover or firewall drops connections that wait in the pool; a ping
    finds them and the pool opens a fresh one instead. SQLAlchemy's ``pool_pre_ping`` pings on
    every checkout, a round trip per request although a busy pool's connections idle for
    milliseconds. A restart takes longer than the threshold, so every connection it dropped
    is pinged.
    """
    pool, dialect = engine.sync_engine.pool, engine.sync_engine.dialect

    @event.listens_for(pool, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_BEFORE_PING_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # the pool retries the checkout with a new connection
            raise DisconnectionError("a pooled connection did not answer its ping") from error


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Entities outlive their unit of work, so nothing may expire on commit.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
