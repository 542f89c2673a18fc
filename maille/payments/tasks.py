"""Slow work for payments, run after commit: telling members their client paid."""

from __future__ import annotations

from django.tasks import task

from maille.payments import mail


@task()
def payment_notify_members(*, allocation_ids: list[int]) -> int:
    """Email the owners of each invoice paid; returns how many emails were sent."""
    return mail.payment_notify_send(allocation_ids=allocation_ids)
