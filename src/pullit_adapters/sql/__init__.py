"""Persistence through SQLAlchemy's async engine: one code path for MariaDB and SQLite."""

from pullit_adapters.sql.engine import create_engine, session_factory
from pullit_adapters.sql.mapping import start_mappers
from pullit_adapters.sql.unit_of_work import SqlUnitOfWork

__all__ = ["SqlUnitOfWork", "create_engine", "session_factory", "start_mappers"]
