"""The expenses' daily job as a task (``maille scheduler`` enqueues it): a thin wrapper."""

from __future__ import annotations

from django.tasks import task


@task()
def receipts_purge_expired() -> int:
    """Delete the receipt files past their 6-year retention (idempotent). Returns how many."""
    from maille.expenses.retention import receipts_purge

    return len(receipts_purge().receipts)
