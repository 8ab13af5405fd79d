"""``insert``: many rows of one model, one statement per batch, without model instances.

Django's ``bulk_create`` builds a model instance for every row and compiles every value
through the SQL compiler. For the risk results ``besa import ocds`` writes (about seven per
process) that was more than half of the import's CPU time. ``insert`` writes the same rows:
each value goes through its field's ``get_db_prep_save``, as ``bulk_create`` does, and values
the same on every row (``constants``) are prepared once.

It fills in no defaults, sends no signals and sets no primary keys on anything: name every
column the table needs, and use it only where nothing reads the new rows' ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, models


def insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    constants: Mapping[str, Any] | None = None,
    batch_size: int = 2000,
) -> int:
    """Insert ``rows`` (values in the order of ``columns``, field names) into ``model``'s
    table, each with ``constants`` (field name → value) too; returns how many were written."""
    constants = constants or {}
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    fixed = [meta.get_field(name) for name in constants]
    fixed_values = [
        field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
        for field, value in zip(fixed, constants.values(), strict=True)
    ]
    q = connection.ops.quote_name
    names = ", ".join(q(str(field.column)) for field in [*fields, *fixed])  # type: ignore[union-attr]
    marks = ", ".join(["%s"] * (len(fields) + len(fixed)))
    sql = f"INSERT INTO {q(meta.db_table)} ({names}) VALUES ({marks})"
    prepare = [field.get_db_prep_save for field in fields]  # type: ignore[union-attr]
    written = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            values = [p(v, connection) for p, v in zip(prepare, row, strict=True)]
            batch.append(values + fixed_values)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
