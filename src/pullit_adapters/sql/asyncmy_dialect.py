"""The asyncmy dialect of the MariaDB engine: SQLAlchemy's own, with fewer round trips.

Every round trip is a network write, a wake-up of the server and the driver's reading of its
answer, on the same cores as everything else, and a write's round trips are taken while the
member's row is locked. Two of them carry nothing this service needs:

- **Writes whose outcome nobody reads.** Marking writes eight statements after its last read.
  A statement executed with ``DEFERRABLE`` is rendered the way asyncmy renders every statement
  (client-side, with the driver's own escaping) and waits on its connection; the next
  statement that is not deferrable, or the COMMIT, takes what waits in front of it as one
  multi-statement round trip (asyncmy asks MariaDB for multi-statements by default). The
  order of statements is the order they were executed in, and MariaDB stops at the first
  failing one, so a broken unique key still ends the transaction as a ``Conflict``, only at
  the next statement or the COMMIT instead of at its own. What a deferred statement would
  return (a row count, a new id) is not there: defer only statements whose result is not read.
  A ROLLBACK drops what waits unsent.
- **The ROLLBACK after a COMMIT.** The pool rolls back every connection it gets back, even
  one whose transaction the unit of work has just committed. When no statement has run on
  the connection since its last COMMIT or ROLLBACK, MariaDB has no transaction open, and
  that ROLLBACK is skipped. A connection is taken as used until then, so a new connection
  (the dialect's own setup queries) still gets its ROLLBACK.

On SQLite none of this applies: statements run as they come.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any
from weakref import WeakKeyDictionary, WeakSet

from asyncmy.cursors import RE_INSERT_VALUES
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.mysql.asyncmy import MySQLDialect_asyncmy
from sqlalchemy.dialects.mysql.mariadb import MariaDBDialect
from sqlalchemy.engine.interfaces import DBAPIConnection, DBAPICursor, ExecutionContext

DRIVER = "pullit_asyncmy"
# session.execute(..., execution_options=DEFERRABLE): the statement may wait for the next one.
DEFERRABLE: Mapping[str, Any] = {"pullit_deferrable": True}
# Sent at once past this size, well below MariaDB's default max_allowed_packet (16 MiB).
_MAX_WAITING_CHARS = 1 << 20

# asyncmy connection -> statements rendered and not sent yet
_waiting: WeakKeyDictionary[Any, list[str]] = WeakKeyDictionary()
# asyncmy connections on which nothing has run since their last COMMIT or ROLLBACK
_ended: WeakSet[Any] = WeakSet()


class AsyncmyDialect(MySQLDialect_asyncmy):
    """asyncmy, with ``DEFERRABLE`` statements sent in front of the next one and no ROLLBACK
    of a transaction that has ended."""

    supports_statement_cache = True

    def do_execute(
        self, cursor: DBAPICursor, statement: str, parameters: Any, context: ExecutionContext | None = None
    ) -> None:
        connection = _used(context)
        if connection is None:
            super().do_execute(cursor, statement, parameters, context)  # type: ignore[no-untyped-call]
        elif _deferrable(context):
            _wait(cursor, connection, [_render(connection, statement, parameters)])
        elif waiting := _waiting.pop(connection, None):
            _send(cursor, [*waiting, _render(connection, statement, parameters)])
        else:
            super().do_execute(cursor, statement, parameters, context)  # type: ignore[no-untyped-call]

    def do_executemany(
        self, cursor: DBAPICursor, statement: str, parameters: Any, context: ExecutionContext | None = None
    ) -> None:
        connection = _used(context)
        if connection is not None and _deferrable(context):
            _wait(cursor, connection, _render_many(connection, statement, parameters))
            return
        if connection is not None and (waiting := _waiting.pop(connection, None)):
            _send(cursor, waiting)
        super().do_executemany(cursor, statement, parameters, context)

    def do_execute_no_params(
        self, cursor: DBAPICursor, statement: str, context: ExecutionContext | None = None
    ) -> None:
        connection = _used(context)
        if connection is not None and (waiting := _waiting.pop(connection, None)):
            # Without parameters the driver sends the text as it is, as here.
            _send(cursor, [*waiting, statement])
        else:
            super().do_execute_no_params(cursor, statement, context)  # type: ignore[no-untyped-call]

    def do_commit(self, dbapi_connection: DBAPIConnection) -> None:
        connection = dbapi_connection.driver_connection
        if waiting := _waiting.pop(connection, None):
            _commit_with(dbapi_connection, waiting)
        else:
            super().do_commit(dbapi_connection)  # type: ignore[no-untyped-call]
        _ended.add(connection)

    def do_rollback(self, dbapi_connection: DBAPIConnection) -> None:
        connection = dbapi_connection.driver_connection
        _waiting.pop(connection, None)
        if connection in _ended:
            return
        super().do_rollback(dbapi_connection)  # type: ignore[no-untyped-call]
        _ended.add(connection)


class MariaDBAsyncmyDialect(MariaDBDialect, AsyncmyDialect):
    """The same for ``mariadb+asyncmy`` URLs (built as SQLAlchemy builds its MariaDB dialects)."""

    supports_statement_cache = True


registry.register(f"mysql.{DRIVER}", __name__, "AsyncmyDialect")
registry.register(f"mariadb.{DRIVER}", __name__, "MariaDBAsyncmyDialect")


def _used(context: ExecutionContext | None) -> Any:
    """The asyncmy connection a statement runs on, from now on inside a transaction."""
    if context is None:
        return None
    connection = context.root_connection.connection.driver_connection
    _ended.discard(connection)
    return connection


def _deferrable(context: ExecutionContext | None) -> bool:
    return context is not None and bool(context.execution_options.get("pullit_deferrable"))


def _render(connection: Any, statement: str, parameters: Any) -> str:
    rendered: str = connection.cursor().mogrify(statement, parameters)
    return rendered


def _render_many(connection: Any, statement: str, rows: Sequence[Any]) -> list[str]:
    """What the driver's ``executemany`` sends: an INSERT's rows in one statement, else one each."""
    match = RE_INSERT_VALUES.match(statement)
    if match is None:
        return [_render(connection, statement, row) for row in rows]
    cursor = connection.cursor()
    values = match.group(2).rstrip()
    return [match.group(1) % () + ",".join(cursor.mogrify(values, row) for row in rows) + (match.group(3) or "")]


def _wait(cursor: DBAPICursor, connection: Any, statements: list[str]) -> None:
    waiting = _waiting.setdefault(connection, [])
    waiting.extend(statements)
    if sum(map(len, waiting)) > _MAX_WAITING_CHARS:
        _send(cursor, _waiting.pop(connection))


def _commit_with(dbapi_connection: DBAPIConnection, waiting: list[str]) -> None:
    cursor = dbapi_connection.cursor()
    try:
        _send(cursor, [*waiting, "COMMIT"])
    except Exception:
        # MariaDB stopped before the COMMIT, but SQLAlchemy takes a failed commit for a
        # finished transaction and would return the connection to the pool with it open.
        with contextlib.suppress(Exception):
            dbapi_connection.rollback()
        raise
    finally:
        cursor.close()


def _send(cursor: DBAPICursor, statements: list[str]) -> None:
    """One round trip; the cursor ends on the last statement's result. A failing statement
    raises its error here and MariaDB runs none after it."""
    cursor.execute(";".join(statements))
    for _ in range(len(statements) - 1):
        cursor.nextset()
