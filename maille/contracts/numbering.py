"""Gapless, duplicate-free document numbers, one sequence per series and year.

The counter row is locked (``SELECT … FOR UPDATE``) inside the caller's
transaction: two transactions numbering at once queue on that row, and a
transaction that rolls back releases its number with it, so no gap appears.
The first number of a year creates the row; if two transactions race to
create it, the loser's insert fails inside a savepoint and it locks the
winner's row instead.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from maille.contracts.models import Counter


def next_number(series: str, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    updated = Counter.objects.filter(series=series, year=year).update(last=F("last") + 1)
    if not updated:
        try:
            with transaction.atomic():
                Counter.objects.create(series=series, year=year, last=1)
            return 1
        except IntegrityError:
            Counter.objects.filter(series=series, year=year).update(last=F("last") + 1)
    # The UPDATE above holds the row lock until our transaction ends.
    return Counter.objects.filter(series=series, year=year).values_list("last", flat=True).get()


def format_number(series: str, year: int, n: int) -> str:
    return f"{series}-{year}-{n:06d}"
