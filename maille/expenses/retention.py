"""Receipts are kept 6 years after the year concerned, then their files are deleted.

Loi sur l'administration fiscale art. 35.1 and ETA s. 286 (quebec-operations.md
§7): the books and the documents behind them are kept six years after the last
year they concern. ``Receipt.keep_until`` is 31 December of the sixth year after
the receipt's date (``receipts.keep_until``); from the next day the daily job
(``tasks.receipts_purge_expired``, run by ``maille scheduler``; by hand
``maille expenses purge-receipts``) deletes the file from the storage and marks
the row ``purged_on``. The row stays: the claim's figures and the ledger's
entries are never touched, and the file's fingerprint still says what it was.

A receipt whose claim or supplier invoice is still open (waiting, approved,
in a bank file) is kept whatever its date: it is still needed.

Idempotent and safe after a crash: the file is deleted first (outside any
transaction: no file I/O inside one), then the row marked; deleting a file
that is already gone does nothing, and a row already marked is not taken again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from maille.expenses.models import (
    ClaimStatus,
    ExpenseClaim,
    Purchase,
    PurchaseStatus,
    Receipt,
)

BATCH = 500
OPEN_CLAIMS = (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, ClaimStatus.IN_BANK_FILE)
OPEN_PURCHASES = (PurchaseStatus.SUBMITTED, PurchaseStatus.APPROVED, PurchaseStatus.IN_BANK_FILE)


@dataclass(slots=True)
class Purged:
    """What a run did: the receipts whose files it deleted."""

    on: dt.date
    receipts: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"date": self.on.isoformat(), "purged": len(self.receipts)}


def receipts_expired(*, on: dt.date) -> list[int]:
    """Receipts past their retention on ``on`` whose file is still kept, oldest first."""
    still_needed = Q(
        pk__in=ExpenseClaim.objects.filter(status__in=OPEN_CLAIMS).values("receipt_id")
    ) | Q(pk__in=Purchase.objects.filter(status__in=OPEN_PURCHASES).values("receipt_id"))
    return list(
        Receipt.objects.filter(keep_until__lt=on, purged_on__isnull=True)
        .exclude(still_needed)
        .order_by("keep_until", "pk")
        .values_list("pk", flat=True)
    )


def receipts_purge(*, on: dt.date | None = None, dry_run: bool = False) -> Purged:
    """Delete the files of the receipts past their retention on ``on`` (today)."""
    on = on or timezone.localdate()
    out = Purged(on=on)
    ids = receipts_expired(on=on)
    if dry_run:
        out.receipts = ids
        return out
    for start in range(0, len(ids), BATCH):
        rows = list(
            Receipt.objects.filter(pk__in=ids[start : start + BATCH], purged_on__isnull=True)
        )
        for row in rows:
            if row.file.name:
                default_storage.delete(row.file.name)
        done = Receipt.objects.filter(pk__in=[r.pk for r in rows], purged_on__isnull=True).update(
            purged_on=on, file=""
        )
        if done:
            out.receipts += [r.pk for r in rows]
    return out
