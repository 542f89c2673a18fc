"""Race-free numbering for readable identifiers (M000123, A000045)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from maille.core.models import Counter


def counter_next(name: str, *, count: int = 1, start: Callable[[], int] = lambda: 0) -> int:
    """Reserve ``count`` consecutive numbers and return the first.

    ``start`` gives the value to begin after when the counter does not exist
    yet (the highest number already in use). The row stays locked until the
    caller's transaction ends.
    """
    with transaction.atomic():
        Counter.objects.get_or_create(name=name, defaults={"value": start()})
        row = Counter.objects.select_for_update().get(name=name)
        first = row.value + 1
        row.value += count
        row.save(update_fields=["value"])
    return first
