"""Prebuilt SQLAlchemy Core statements for batched writes, on MariaDB and SQLite alike.

Marking writes a whole submission in a fixed number of statements: one multi-row INSERT or
upsert per table instead of a statement per answer, and no ORM unit-of-work bookkeeping.
The upserts differ by dialect (``ON DUPLICATE KEY UPDATE`` on MariaDB, ``ON CONFLICT`` on
SQLite), so each is built once per dialect and picked by the session's dialect.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Table
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.sql.dml import Insert

T = TypeVar("T")
LOCKED_MEMBERS = "pullit_locked_members"
# member id -> their learning-stats row (None: no row) as the statement that locked them read it
STATS_READ_WITH_LOCK = "pullit_stats_read_with_lock"

# (the table, the values a new row brings) -> SET clause of the update on a duplicate key
UpdateOnDuplicate = Callable[[Table, Any], Mapping[str, ColumnElement[Any]]]


def dialect_of(session: AsyncSession) -> str:
    return "sqlite" if session.get_bind().dialect.name == "sqlite" else "mysql"


class Upsert:
    """``INSERT ... ON DUPLICATE KEY UPDATE`` / ``INSERT ... ON CONFLICT (keys) DO UPDATE``;
    with no update, a row whose key exists is left as it is.

    ``counted`` (no update only): the row count tells whether the row was new. MariaDB then
    gets ``INSERT IGNORE``, since the driver counts a matched row of ``ON DUPLICATE KEY
    UPDATE`` as affected; IGNORE also turns other errors into warnings, so use it only on a
    table without foreign keys.
    """

    def __init__(
        self, table: Table, keys: tuple[str, ...], update: UpdateOnDuplicate | None = None, counted: bool = False
    ) -> None:
        on_mysql = mysql.insert(table)
        on_sqlite = sqlite.insert(table)
        if counted:
            assert update is None and not table.foreign_keys
            self.mysql: Insert = on_mysql.prefix_with("IGNORE")
            self.sqlite: Insert = on_sqlite.on_conflict_do_nothing(index_elements=list(keys))
        elif update is None:
            # A no-op assignment keeps MariaDB's other errors (a foreign key) errors, unlike IGNORE.
            self.mysql = on_mysql.on_duplicate_key_update({keys[0]: table.c[keys[0]]})
            self.sqlite = on_sqlite.on_conflict_do_nothing(index_elements=list(keys))
        else:
            self.mysql = on_mysql.on_duplicate_key_update(dict(update(table, on_mysql.inserted)))
            self.sqlite = on_sqlite.on_conflict_do_update(
                index_elements=list(keys), set_=dict(update(table, on_sqlite.excluded))
            )

    def on(self, session: AsyncSession) -> Insert:
        return self.sqlite if dialect_of(session) == "sqlite" else self.mysql


def from_row(cls: type[T], row: Mapping[Any, Any]) -> T:
    """An instance of a mapped class filled straight from a Core row, without the ORM's
    attribute events that its ``__init__`` fires for every column. It is never added to a
    session: what changes on it is written by a Core statement."""
    instance: T = manager_of_class(cls).new_instance()
    instance.__dict__.update(row)
    return instance


def column_values(instance: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The parameters of a Core INSERT or UPDATE of ``instance``: its attributes named like the columns."""
    return {name: getattr(instance, name) for name in names}


def first_lock(session: AsyncSession, member_id: int) -> bool:
    """Whether this is the transaction's first lock of the member (a second one is free: the
    row stays locked until the transaction ends)."""
    held: set[int] = session.info.setdefault(LOCKED_MEMBERS, set())
    if member_id in held:
        return False
    held.add(member_id)
    return True


def locks_released(session: AsyncSession) -> None:
    session.info.pop(LOCKED_MEMBERS, None)
    # Read under the lock, so current only while it is held.
    session.info.pop(STATS_READ_WITH_LOCK, None)
