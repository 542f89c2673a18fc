"""The daily job of coworking (``maille scheduler`` enqueues it)."""

from __future__ import annotations

from django.tasks import task

from maille.coworking.services import loans_remind_overdue


@task()
def coworking_overdue_loans() -> int:
    """Remind members of overdue equipment, once a day each (idempotent)."""
    return loans_remind_overdue()
