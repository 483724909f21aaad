"""Bulk writes faster than the ORM's, for imports and the search index (up to millions of rows).

On PostgreSQL these use COPY: Django 5.2's bulk_create sends the rows as arrays, which psycopg's
client-side binding quotes element by element in Python — minutes for 10,000 guides — and
executemany merges every row into the query text. On SQLite, one INSERT statement carries many
rows (`VALUES (…), (…), …`): each execution of an INSERT into a table with AUTOINCREMENT scans
`sqlite_sequence` (a row per table), so a row per statement costs five times as much
(1.6 million search postings: 4.8 s of CPU one by one, 0.9 s in statements of 249 rows).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

SQLITE_PARAMS = 999  # bound values per statement (SQLite's historical limit; Django's max_query_params)
BUFFER_ROWS = 5000  # rows kept before writing them (SQLite)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def insert_rows(model, columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert plain rows (values in the order of `columns`) into the table of `model`."""
    if rows:
        with row_writer(model, columns) as write:
            write(rows)


@contextmanager
def row_writer(
    model, columns: Sequence[str], *, pg_types: Sequence[str] | None = None
) -> Iterator[Callable[[Iterable[tuple]], None]]:
    """Insert rows into the table of `model` as they are made: `write(rows)` any number of times.

    PostgreSQL: one COPY for them all, which the server reads while the caller makes the next
    rows (run no other query on the connection inside the block); with `pg_types` (the columns'
    PostgreSQL types, e.g. "text", "int8", "float8"), a binary COPY, which psycopg writes in
    half the time. SQLite: the rows are buffered and written in statements of many rows each.
    If the block raises, the rest is not written."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            binary = " (FORMAT BINARY)" if pg_types else ""
            with cursor.cursor.copy(f"COPY {_table(model)} ({names}) FROM STDIN{binary}") as copy:
                if pg_types:
                    copy.set_types(list(pg_types))

                def copy_rows(rows: Iterable[tuple]) -> None:
                    for row in rows:
                        copy.write_row(row)

                yield copy_rows
            return
        insert = f"INSERT INTO {_table(model)} ({names}) VALUES "
        one = f"({', '.join(['%s'] * len(columns))})"
        per_statement = max(1, SQLITE_PARAMS // len(columns))
        statement = insert + ", ".join([one] * per_statement)
        pending: list[tuple] = []

        def flush(everything: bool) -> None:
            full = len(pending) - len(pending) % per_statement
            if full:
                cursor.executemany(
                    statement,
                    (
                        list(chain.from_iterable(pending[i : i + per_statement]))
                        for i in range(0, full, per_statement)
                    ),
                )
            if everything and full < len(pending):
                rest = pending[full:]
                cursor.execute(insert + ", ".join([one] * len(rest)), list(chain.from_iterable(rest)))
                full = len(pending)
            del pending[:full]

        def buffer_rows(rows: Iterable[tuple]) -> None:
            pending.extend(rows)
            if len(pending) >= BUFFER_ROWS:
                flush(everything=False)

        yield buffer_rows
        flush(everything=True)


def bulk_create(
    objs: list[models.Model], batch_size: int = 1000, *, prepared: Sequence[dict[str, Any]] | None = None
) -> list[models.Model]:
    """Like `Model.objects.bulk_create(objs)` (no signals; primary keys set on the objects).

    The primary keys are taken first (PostgreSQL: from the table's sequence; SQLite: after the
    largest given), then the rows are written without the ORM's per-value query compilation
    (`insert_rows`). `prepared` gives, for each object, database values already made for some
    fields (by field name), written as they are: e.g. stream fields serialised to JSON once for
    the row and for a revision (Wagtail's own preparation costs more than the serialisation)."""
    if not objs:
        return objs
    model = type(objs[0])
    meta = model._meta
    if connection.vendor not in ("postgresql", "sqlite") or not meta.pk.get_internal_type().endswith(
        "AutoField"
    ):
        return model._default_manager.bulk_create(objs, batch_size=batch_size)
    fields = meta.concrete_fields
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objs)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        else:  # SQLite: the ids after the largest ever given (AUTOINCREMENT); a race fails loudly
            cursor.execute(
                f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
                f"COALESCE((SELECT MAX({connection.ops.quote_name(meta.pk.column)}) FROM {_table(model)}), 0))",
                [meta.db_table],
            )
            first = cursor.fetchone()[0] + 1
            ids = list(range(first, first + len(objs)))
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the thread-local proxy
    rows: list[tuple[Any, ...]] = []
    for obj, pk, given in zip(objs, ids, prepared or [{}] * len(objs), strict=True):
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        obj.pk = pk
        rows.append(
            tuple(
                given[f.name] if f.name in given else f.get_db_prep_save(f.pre_save(obj, True), db)
                for f in fields
            )
        )
        obj._state.adding = False
        obj._state.db = db.alias
    insert_rows(model, [f.column for f in fields], rows)
    return objs


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a bulk job that builds millions of objects
    and keeps many of them (an import of 10,000 matters spent ~3 s of its 20 s of CPU in full
    collections, which walk every live object). Reference counting still frees the rest; the
    collector runs again afterwards. Nested uses leave it to the outermost."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
