"""Dialect-aware INSERT … ON CONFLICT DO NOTHING, for writes that may race another process."""

from __future__ import annotations

from functools import cache
from operator import itemgetter

from sqlalchemy import Insert, Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from bot.store.raw_sql import bind_processor, connection_of, fetch, marks


def added(session: Session, row: SQLModel) -> bool:
    """Add `row` in a savepoint of the caller's transaction; False (nothing added, the rest
    of the transaction kept) when a unique key of it is taken, by another process say."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


@cache
def insert_ignoring_conflicts(table: Table, dialect: str, *returning: str) -> Insert:
    """An INSERT into `table` that skips rows clashing with a unique key (SQLite, PostgreSQL),
    returning the named columns of the rows it inserted. Built once per table and dialect."""
    statement = _insert(table, dialect)
    return statement.returning(*(table.c[name] for name in returning)) if returning else statement


def _insert(table: Table, dialect: str) -> Insert:
    if dialect in ("postgresql", "sqlite"):
        return dialect_insert(table, dialect).on_conflict_do_nothing()
    return insert(table)


def dialect_insert(table: Table, dialect: str) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into `table` that can say what a clash does (`on_conflict_do_update`,
    `on_conflict_do_nothing`): PostgreSQL's, else SQLite's."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_new_rows(conn, table: Table, rows: list[dict], *key: str) -> set[tuple]:
    """Insert `rows` (all with the same keys), skipping those that clash with a unique key;
    return the `key` columns of the rows that went in.

    On SQLite this is one multi-row statement per few thousand rows straight through the
    driver (SQLAlchemy's per-row parameter handling cost more than SQLite's own work); on
    PostgreSQL one statement of an array per column; elsewhere SQLAlchemy's batched INSERT …
    RETURNING.
    """
    if not rows:
        return set()
    conn = connection_of(conn)
    if conn.dialect.name == "postgresql":
        return _insert_unnested(conn, table, rows, key)
    if conn.dialect.name != "sqlite":
        statement = insert_ignoring_conflicts(table, conn.dialect.name, *key)
        return {tuple(row) for row in conn.execute(statement, rows)}
    columns = tuple(rows[0])
    values_of = itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
    converted = _converters(table, columns, conn.dialect)
    inserted: set[tuple] = set()
    start = 0
    for size in statement_sizes(len(rows), _SQLITE_MAX_VARIABLES // len(columns)):
        chunk, start = rows[start : start + size], start + size
        values: list = []
        add = values.extend
        for row in chunk:
            found = values_of(row)
            if converted:
                found = list(found)
                for n, process in converted:
                    if found[n] is not None:
                        found[n] = process(found[n])
            add(found)
        sql = _multi_row_insert(table.name, columns, len(chunk), key)
        inserted.update(fetch(conn, sql, values))
    return inserted


@cache
def _converters(table: Table, columns: tuple[str, ...], dialect) -> list[tuple[int, object]]:
    """(position, conversion) of each of `columns` the driver cannot take as it is."""
    return [
        (n, process)
        for n, name in enumerate(columns)
        if (process := bind_processor(table.c[name], dialect)) is not None
    ]


def _insert_unnested(conn, table: Table, rows: list[dict], key: tuple[str, ...]) -> set[tuple]:
    """PostgreSQL: the rows as one array per column in one short statement, parsed once per
    batch (a multi-row VALUES of a batch is parsed anew each time, most of the writer's work)."""
    columns = tuple(rows[0])
    arrays = [[row[name] for row in rows] for name in columns]
    for n, process in _converters(table, columns, conn.dialect):
        arrays[n] = [None if value is None else process(value) for value in arrays[n]]
    sql = _unnest_insert(table, columns, key, conn.dialect)
    return {tuple(row) for row in conn.exec_driver_sql(sql, tuple(arrays))}


@cache
def _unnest_insert(table: Table, columns: tuple[str, ...], key: tuple[str, ...], dialect) -> str:
    typed = ", ".join(f"%s::{table.c[name].type.compile(dialect=dialect)}[]" for name in columns)
    names = ", ".join(f'"{name}"' for name in columns)
    returned = ", ".join(f'"{name}"' for name in key)
    return (
        f'INSERT INTO "{table.name}" ({names}) SELECT * FROM unnest({typed}) '
        f"ON CONFLICT DO NOTHING RETURNING {returned}"
    )


_SQLITE_MAX_VARIABLES = 32766  # SQLite's limit since 3.32, as SQLAlchemy assumes


def statement_sizes(rows: int, most: int) -> list[int]:
    """How many rows each multi-row statement takes: the largest power of two that fits
    `most`, then powers of two for the rest. So few distinct statements are ever prepared
    (the driver keeps each one it compiled, megabytes for a few thousand rows)."""
    size = 1 << max(0, most.bit_length() - 1)
    sizes = [size] * (rows // size)
    rest = rows % size
    while rest:
        part = 1 << (rest.bit_length() - 1)
        sizes.append(part)
        rest -= part
    return sizes


@cache
def _multi_row_insert(table: str, columns: tuple[str, ...], rows: int, key: tuple[str, ...]) -> str:
    one = f"({marks(len(columns))})"
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * rows)} "
        f"ON CONFLICT DO NOTHING RETURNING {', '.join(key)}"
    )
