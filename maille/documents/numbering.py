"""Gapless, duplicate-free document numbers, one sequence per series and year.

The counter row is locked (``SELECT … FOR UPDATE``) inside the caller's
transaction: two transactions numbering at once queue on that row, and a
transaction that rolls back releases its number with it, so no gap appears.
The first number of a year creates the row; if two transactions race to
create it, the loser's insert fails inside a savepoint and it locks the
winner's row instead.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from maille.documents.models import Counter


def next_number(series: str, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    # One round trip: the UPDATE takes the row lock (held until our commit)
    # and RETURNING hands back the number (PostgreSQL; SQLite ≥ 3.35).
    table = Counter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE series = %s AND year = %s "  # noqa: S608
            "RETURNING last",
            [series, year],
        )
        row = cursor.fetchone()
    if row is not None:
        return int(row[0])
    try:
        with transaction.atomic():
            Counter.objects.create(series=series, year=year, last=1)
        return 1
    except IntegrityError:
        # Another transaction created the year's row first: queue behind it.
        Counter.objects.filter(series=series, year=year).update(last=F("last") + 1)
    return Counter.objects.filter(series=series, year=year).values_list("last", flat=True).get()


def format_number(series: str, year: int, n: int) -> str:
    return f"{series}-{year}-{n:06d}"
