"""Bulk writes faster than the ORM's, for imports and the search index (tens of thousands of rows).

On PostgreSQL these use COPY: Django 5.2's bulk_create sends the rows as arrays, which psycopg's
client-side binding quotes element by element in Python — minutes for 10,000 guides — and
executemany merges every row into the query text. Elsewhere (SQLite) the ORM's own bulk_create
and executemany are fast already.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

BATCH_SIZE = 5000


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def insert_rows(model, columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert plain rows (values in the order of `columns`) into the table of `model`."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {_table(model)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {_table(model)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


def bulk_create(objs: list[models.Model], batch_size: int = 1000) -> list[models.Model]:
    """Like `Model.objects.bulk_create(objs)` (no signals; primary keys set on the objects).

    The primary keys are taken first (PostgreSQL: from the table's sequence; SQLite: after the
    largest given), then the rows are written without the ORM's per-value query compilation
    (PostgreSQL: COPY; SQLite: executemany)."""
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
    rows: list[tuple[Any, ...]] = []
    for obj, pk in zip(objs, ids, strict=True):
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        obj.pk = pk
        rows.append(tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields))
        obj._state.adding = False
        obj._state.db = connection.alias
    insert_rows(model, [f.column for f in fields], rows)
    return objs
