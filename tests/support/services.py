"""Real services for integration tests: MariaDB and Redis on this machine.

When a service is down the test is skipped, except under ``CI=true`` where a missing
service is a failure: CI must never go green by skipping the real database.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import make_url

MARIADB_SERVER = os.environ.get("PULLIT_TEST_MARIADB_URL", "mysql+asyncmy://root@127.0.0.1:3306/test")
REDIS_URL = os.environ.get("PULLIT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def unavailable(what: str, error: BaseException) -> None:
    message = f"{what} is not reachable: {type(error).__name__}: {error}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (under CI a missing service fails the run)", pytrace=False)
    pytest.skip(message)


async def _mariadb_execute(statement: str) -> None:
    import asyncmy

    url = make_url(MARIADB_SERVER)
    connection = await asyncmy.connect(
        host=url.host or "127.0.0.1", port=url.port or 3306, user=url.username or "root", password=url.password or ""
    )
    try:
        async with connection.cursor() as cursor:
            await cursor.execute(statement)
    finally:
        connection.close()


def _run(statement: str) -> None:
    # Fixtures may be set up while a test's event loop runs; asyncio.run cannot nest in it.
    with ThreadPoolExecutor(1) as executor:
        executor.submit(asyncio.run, _mariadb_execute(statement)).result()


@contextmanager
def fresh_mariadb_database() -> Iterator[str]:
    """A new, empty utf8mb4 database for this test run only; dropped afterwards."""
    name = f"pullit_test_{uuid.uuid4().hex[:12]}"
    try:
        _run(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    except Exception as error:  # noqa: BLE001 - asyncmy raises its own OperationalError
        unavailable("MariaDB", error)
    try:
        yield make_url(MARIADB_SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        _run(f"DROP DATABASE IF EXISTS `{name}`")


def redis_url() -> str:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable("Redis", error)
    finally:
        client.close()
    return REDIS_URL
