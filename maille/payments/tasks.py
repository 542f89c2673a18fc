"""Slow work for payments, run after commit: telling members their client paid."""

from __future__ import annotations

from django.tasks import task

from maille.payments import mail


@task()
def payment_notify_members(*, allocation_ids: list[int]) -> int:
    """Email the owners of each invoice paid; returns how many emails were sent."""
    return mail.payment_notify_send(allocation_ids=allocation_ids)


@task()
def statement_import_run(*, import_id: int) -> int:
    """Import an uploaded statement file (its progress shows on the import's page)."""
    from maille.payments.exceptions import StatementRefused
    from maille.payments.importing import statement_import
    from maille.payments.models import ImportStatus, StatementImport

    record = StatementImport.objects.select_related("bank_account", "imported_by").get(pk=import_id)
    if record.status != ImportStatus.RUNNING:
        return 0  # done already: a task run twice does nothing more
    with record.file.open("rb") as f:
        data = f.read()
    try:
        result = statement_import(
            bank_account=record.bank_account,
            data=data,
            filename=record.filename,
            acting_user=record.imported_by,
            fmt=record.format or "auto",
            record=record,
        )
    except StatementRefused:
        return 0
    return result.new
