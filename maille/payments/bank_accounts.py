"""The co-op's bank accounts: declared and changed by administrators, each
mirrored by one asset account of the ledger; the column mapping of a bank's
generic CSV export."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maille.core.audit import set_actor
from maille.core.models import User
from maille.ledger.models import Account, AccountType
from maille.payments.exceptions import PaymentRefused
from maille.payments.models import (
    BankAccount,
)

CURRENCIES = ("CAD", "USD")
BANK_ACCOUNT_FIELDS = ("name", "institution", "transit", "number", "currency", "is_active")


@transaction.atomic
def bank_account_save(
    *,
    account: BankAccount | None,
    data: dict[str, object],
    ledger_account: Account | None,
    acting_user: User,
) -> BankAccount:
    """Declare one of the co-op's bank accounts, or change one (administrators only).

    Checked: three-digit institution, five-digit transit, five to twelve digit
    account number, one account per (institution, transit, number), a currency
    the co-op banks in, and an open asset account of the ledger that mirrors no
    other bank account. Every problem is named by its field; nothing is saved.
    """
    if not acting_user.is_superuser:
        raise PaymentRefused([_("Only an administrator declares or changes a bank account.")])
    if account is not None:
        account = BankAccount.objects.select_for_update().get(pk=account.pk)
    target = account or BankAccount()
    for name in BANK_ACCOUNT_FIELDS:
        if name in data:
            value = data[name]
            setattr(target, name, value.strip() if isinstance(value, str) else value)
    target.currency = (target.currency or "").upper()
    problems: list[str] = []
    if target.currency not in CURRENCIES:
        problems.append(
            _("currency: %(c)s is not one of %(list)s.")
            % {"c": target.currency or "—", "list": ", ".join(CURRENCIES)}
        )
    if ledger_account is None:
        problems.append(_("ledger account: choose the ledger account that mirrors this account."))
    else:
        if ledger_account.type != AccountType.ASSET or not ledger_account.is_open:
            problems.append(
                _("ledger account: %(a)s is not an open asset account.") % {"a": ledger_account}
            )
        taken = BankAccount.objects.filter(ledger_account=ledger_account).exclude(pk=target.pk)
        if taken.exists():
            problems.append(
                _("ledger account: %(a)s already mirrors another bank account.")
                % {"a": ledger_account}
            )
        moved = account is not None and account.ledger_account_id != ledger_account.pk
        if moved and account and (account.lines.exists() or account.payments.exists()):
            problems.append(
                _("ledger account: this account has payments or bank lines; it keeps its own.")
            )
        target.ledger_account = ledger_account
    try:
        target.full_clean(exclude=["ledger_account", "opening_balance", "csv_mapping"])
    except ValidationError as exc:
        labels = {f.name: str(f.verbose_name) for f in BankAccount._meta.fields}
        for name, messages in exc.message_dict.items():
            problems += [f"{labels[name]}: {m}" if name in labels else m for m in messages]
    if problems:
        raise PaymentRefused(problems)
    set_actor(target, acting_user)
    target.save()
    return target


@transaction.atomic
def bank_account_mapping_save(
    *, account: BankAccount, mapping: dict[str, object], acting_user: User
) -> BankAccount:
    """Save the column mapping of this bank's generic CSV export (staff)."""
    if not mapping.get("date") or not mapping.get("description"):
        raise PaymentRefused([_("Name the date and description columns.")])
    if not mapping.get("amount") and not (mapping.get("debit") or mapping.get("credit")):
        raise PaymentRefused([_("Name the amount column, or the withdrawal and deposit columns.")])
    account = BankAccount.objects.select_for_update().get(pk=account.pk)
    account.csv_mapping = {k: v for k, v in mapping.items() if v not in (None, "")}
    set_actor(account, acting_user)
    account.save(update_fields=["csv_mapping"])
    return account
