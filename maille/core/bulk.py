"""Inserting many rows of one model at once, with their ids.

``bulk_insert`` is ``bulk_create`` for the daily jobs that write tens of
thousands of rows (the guarantee's advances): it takes each row as a dict of
field values and returns the model instances with their ``pk``. On
PostgreSQL the ids are taken from the table's sequence in one round trip and
the rows go in with COPY, which skips Django's per-value SQL compilation and
``Model.__init__`` (together most of ``bulk_create``'s time at that size);
elsewhere it is ``bulk_create`` in batches. Either way the database's
constraints and triggers apply as to any insert, and a field left out takes
its default (``auto_now``/``auto_now_add`` dates: now).

Only for models whose fields are plain values (numbers, text, dates, booleans,
foreign keys by their ``_id``): no JSON, no file, no field whose Python value
needs converting before the database takes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models.base import ModelState
from django.db.models.fields.json import JSONField
from django.utils import timezone

_NOT_PLAIN = (JSONField, models.FileField)


def loaded[M: models.Model](model: type[M], fields: dict[str, Any]) -> M:
    """The instance as if read back from the database, without ``Model.__init__``
    (which costs more per row than writing it). ``fields`` holds every column's
    attname; nothing listens to its creation (no ``post_init``)."""
    instance = model.__new__(model)
    instance.__dict__.update(fields)
    instance._state = ModelState()
    instance._state.adding, instance._state.db = False, connection.alias
    return instance


def _complete(fields: Sequence[models.Field[Any, Any]], row: dict[str, Any]) -> dict[str, Any]:
    now = None
    full = dict(row)
    for f in fields:
        if f.attname in full:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            now = now or timezone.now()
            full[f.attname] = now
        else:
            full[f.attname] = f.get_default()
    return full


def bulk_insert[M: models.Model](model: type[M], rows: Sequence[dict[str, Any]]) -> list[M]:
    """Insert one row per dict (keys: field attnames) and return the instances, in order."""
    if not rows:
        return []
    meta = model._meta
    pk = meta.pk
    if pk is None:  # every concrete model has one; says so to the type checker
        raise TypeError(f"{model.__name__} has no primary key")
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    odd = [f.name for f in fields if isinstance(f, _NOT_PLAIN)]
    if odd:
        raise TypeError(f"bulk_insert takes plain fields only; {model.__name__} has {odd}")
    full = [_complete(fields, row) for row in rows]
    if connection.vendor != "postgresql":
        created = model._default_manager.bulk_create([model(**r) for r in full], batch_size=2000)
        return list(created)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(full)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(quote(f.column or f.attname) for f in [pk, *fields])
        names = [f.attname for f in fields]
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row, new_id in zip(full, ids, strict=True):
                row[pk.attname] = new_id
                copy.write_row([new_id, *(row[n] for n in names)])
    return [loaded(model, row) for row in full]
