"""``field__any=ids``: membership in a long list, sent as one array.

Django's ``__in`` writes one placeholder per value; with tens of thousands of
ids (a bank statement's invoices, a pay run's members) psycopg splits and
quotes each one in Python, and past a few thousand values PostgreSQL's planner
may leave the index for a scan of the whole table. On PostgreSQL ``__any``
writes ``field = ANY(%s)`` with the list as a single array parameter;
elsewhere it is ``__in``. Registered on every field in ``CoreConfig.ready``;
on a foreign key it takes ids (``client_id__any=[…]``), not instances.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler


class AnyOf(In):
    lookup_name = "any"

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, Sequence[Any]]:
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = list(
            dict.fromkeys(
                field.get_db_prep_value(v, connection, prepared=True)
                for v in self.rhs
                if v is not None
            )
        )
        if not values:
            return super().as_sql(compiler, connection)  # EmptyResultSet, as __in
        return f"{lhs} = ANY(%s)", [*lhs_params, values]
