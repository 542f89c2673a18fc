"""The guarantee's daily job as a task (``maille scheduler`` enqueues it): a thin wrapper."""

from __future__ import annotations

from django.tasks import task

from maille.guarantee.exceptions import GuaranteeJobBusy
from maille.guarantee.job import guarantee_run


@task()
def guarantee_daily() -> int:
    """Advance, settle, claw back (idempotent). Returns how many advances it made."""
    try:
        return guarantee_run().advanced
    except GuaranteeJobBusy:
        return 0  # another run is doing it
