"""A pooled MariaDB connection the server dropped while it sat idle is replaced before use.

The pool pings a connection only when it idled past ``IDLE_BEFORE_PING_SECONDS`` (a busy
pool's connections never do), so a restart or a killed connection costs no request a 503.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from pullit_adapters.sql import engine as sql_engine


async def test_a_connection_killed_while_idle_is_replaced_before_use(
    mariadb_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Any idle time counts, so the test need not wait out the threshold.
    monkeypatch.setattr(sql_engine, "IDLE_BEFORE_PING_SECONDS", 0.0)
    pooled = sql_engine.create_engine(mariadb_url, pool_size=1, max_overflow=0)
    admin = sql_engine.create_engine(mariadb_url, pool_size=1)
    try:
        async with pooled.connect() as connection:
            first = (await connection.execute(text("SELECT CONNECTION_ID()"))).scalar_one()
        async with admin.connect() as connection:
            await connection.execute(text(f"KILL {int(first)}"))

        async with pooled.connect() as connection:
            second = (await connection.execute(text("SELECT CONNECTION_ID()"))).scalar_one()

        assert second != first
    finally:
        await pooled.dispose()
        await admin.dispose()
