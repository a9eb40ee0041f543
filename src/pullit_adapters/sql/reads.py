"""Read-only queries on a plain Core connection: no ORM session, identity map or flush.

A pooled connection is held only while the statements run; InnoDB treats a transaction of
plain SELECTs as read-only, and closing the connection ends it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from pullit_domain.errors import Unavailable


@asynccontextmanager
async def read_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection for reads; an unreachable database or an exhausted pool is ``Unavailable``."""
    try:
        async with engine.connect() as connection:
            yield connection
    except (OperationalError, InterfaceError, PoolTimeout) as error:
        raise Unavailable("the database is unreachable") from error
    except DBAPIError as error:
        if error.connection_invalidated:
            raise Unavailable("the database is unreachable") from error
        raise
