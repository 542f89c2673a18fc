"""Slow work for invoices, run after commit: the email with the PDF."""

from __future__ import annotations

from django.tasks import task

from maille.invoicing import mail


@task()
def invoice_email(*, invoice_id: int) -> int:
    """Email an issued invoice to the client's contacts; returns how many were sent."""
    return mail.invoice_email_send(invoice_id=invoice_id)
