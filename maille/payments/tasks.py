"""Slow work for payments, run after commit: telling members their client paid
(``mail.payment_notify_members``), importing an uploaded statement."""

from __future__ import annotations

from django.tasks import task

from maille.core.models import User
from maille.payments import bank
from maille.payments.exceptions import StatementRefused
from maille.payments.importing import statement_import
from maille.payments.mail import payment_notify_members
from maille.payments.models import BankAccount, ImportStatus, StatementImport

__all__ = ["payment_notify_members", "queue_rematch_run", "statement_import_run"]


@task()
def queue_rematch_run(*, account_id: int | None, user_id: int | None) -> dict[str, int]:
    """Match the bank lines' queue again (the queue page's button)."""
    account = BankAccount.objects.get(pk=account_id) if account_id else None
    user = User.objects.get(pk=user_id) if user_id else None
    return bank.queue_rematch(account=account, acting_user=user)


@task()
def statement_import_run(*, import_id: int) -> int:
    """Import an uploaded statement file (its progress shows on the import's page)."""
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
