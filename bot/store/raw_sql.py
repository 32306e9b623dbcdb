"""Hot statements straight through the database driver, with `?` placeholders.

The interaction log runs a few small statements for nearly every event; SQLAlchemy's
per-statement work costs more than SQLite's own, so these skip it. Values are passed as the
driver takes them: process datetimes with the column's `bind_value` first, and read them
back with its `result_value`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import Column


def fetch(conn, sql: str, params: Sequence = ()) -> list[tuple]:
    """Rows of `sql` (a SELECT, or a statement with RETURNING), as tuples."""
    conn = connection_of(conn)
    if conn.dialect.name == "sqlite":
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.execute(sql, tuple(params))
            return cursor.fetchall()
        finally:
            cursor.close()
    return [tuple(row) for row in conn.exec_driver_sql(_pyformat(sql), tuple(params))]


def execute_many(conn, sql: str, rows: list[tuple]) -> None:
    """Run `sql` once for each tuple of `rows` (one driver call)."""
    conn = connection_of(conn)
    if conn.dialect.name == "sqlite":
        conn.connection.driver_connection.executemany(sql, rows)
    else:
        conn.exec_driver_sql(_pyformat(sql), rows)


def marks(count: int) -> str:
    """`?, ?, …` for `count` values."""
    return ", ".join("?" * count)


def bind_value(conn, column: Column):
    """A function turning a value of `column` into what this database's driver takes."""
    return bind_processor(column, connection_of(conn).dialect) or (lambda value: value)


def result_value(conn, column: Column):
    """A function turning what this database's driver gives for `column` into the column's
    own value (for a time: an aware UTC datetime), for rows read with `fetch`."""
    return _result_processor(column, connection_of(conn).dialect) or (lambda value: value)


@cache
def _result_processor(column: Column, dialect):
    return column.type.dialect_impl(dialect).result_processor(dialect, None)


@cache
def bind_processor(column: Column, dialect):
    """`column`'s own conversion to this dialect's driver value, or None when there is none."""
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def connection_of(conn):
    """The Connection to work on: `conn` itself, or a Session's own."""
    return conn.connection() if hasattr(conn, "get_bind") else conn


def _pyformat(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")
