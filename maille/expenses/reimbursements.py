"""Approved claims are reimbursed, and approved supplier invoices paid, with the
next pay run's bank file.

Payroll makes the file; these providers (registered from ``ExpensesConfig.ready``)
add their credits to it, with the CPA-005 transaction codes of the expense rules
in force on the pay date (CPA Standard 007, quebec-operations.md §1):

- ``ReimbursementProvider``: one credit per approved claim not yet in a file,
  code 452 "expense payment" — not 200, payroll deposit: a reimbursement is
  never salary. A claim whose member has no valid bank account stays approved
  and waits for the next file. When the file is sent, *reimbursements payable*
  on each claim's activity is cleared against the co-op's bank (one entry per
  file) and the claims are paid.
- ``SupplierPaymentProvider``: one credit per approved supplier invoice whose
  supplier's bank account was given, code 460 "accounts payable". Sent, the
  file clears *suppliers payable* [COOP] against the bank (one entry per file)
  and the invoices are paid. An invoice in a file cannot be paid by hand
  (``purchase_pay`` refuses it): it is never paid twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from maille.core.models import User
from maille.core.money import ZERO
from maille.expenses.models import (
    ClaimStatus,
    ExpenseClaim,
    ExpenseRules,
    Purchase,
    PurchaseStatus,
)
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import COOP_ACTIVITY_CODE, Activity
from maille.payroll.bankfile import ExtraCredit
from maille.payroll.models import BankFile, PayRun

KEY_PREFIX = "expenses:claim:"
PURCHASE_KEY_PREFIX = "expenses:purchase:"


def _codes(run: PayRun) -> tuple[str, str]:
    """(reimbursement code, supplier payment code) in force on the pay date."""
    rules = ExpenseRules.in_force(run.pay_date)
    if rules is None:
        defaults = {f.name: f.get_default() for f in ExpenseRules._meta.fields}
        return str(defaults["reimbursement_code"]), str(defaults["supplier_payment_code"])
    return rules.reimbursement_code, rules.supplier_payment_code


class ReimbursementProvider:
    def credits_due(self, *, run: PayRun) -> Sequence[ExtraCredit]:
        code, _supplier_code = _codes(run)
        claims = (
            ExpenseClaim.objects.select_for_update(of=("self",))
            .filter(status=ClaimStatus.APPROVED, bank_file__isnull=True)
            .select_related("member__user")
            .order_by("id")
        )
        return [
            ExtraCredit(
                key=f"{KEY_PREFIX}{c.pk}",
                member=c.member,
                amount=c.amount,
                transaction_code=code,
                reference=c.reference,
            )
            for c in claims
        ]

    def credits_filed(
        self,
        *,
        bank_file: BankFile,
        filed: Sequence[ExtraCredit],
        left_out: Sequence[tuple[ExtraCredit, str]],
    ) -> None:
        ids = [int(c.key.removeprefix(KEY_PREFIX)) for c in filed]
        ExpenseClaim.objects.filter(pk__in=ids, status=ClaimStatus.APPROVED).update(
            bank_file=bank_file, status=ClaimStatus.IN_BANK_FILE
        )

    def file_sent(self, *, bank_file: BankFile, acting_user: User) -> None:
        claims = list(
            ExpenseClaim.objects.select_for_update()
            .filter(bank_file=bank_file, status=ClaimStatus.IN_BANK_FILE)
            .select_related("activity")
        )
        if not claims:
            return
        day = bank_file.payment_day
        lines = [LineSpec(accounts.REIMBURSEMENTS_PAYABLE, c.activity, c.amount) for c in claims]
        coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
        lines.append(LineSpec(accounts.BANK, coop, -sum((c.amount for c in claims), ZERO)))
        entry_post(
            date=day,
            description=str(
                _("Bank file %(n)04d: expense reimbursements") % {"n": bank_file.creation_number}
            ),
            lines=lines,
            idempotency_key=f"expenses:bankfile:{bank_file.pk}:sent",
            acting_user=acting_user,
            source=bank_file,
        )
        for claim in claims:
            claim.status, claim.paid_on = ClaimStatus.PAID, day
            claim._history_user = acting_user  # type: ignore[attr-defined]
            claim.save(update_fields=["status", "paid_on"])


class SupplierPaymentProvider:
    def credits_due(self, *, run: PayRun) -> Sequence[ExtraCredit]:
        _code, code = _codes(run)
        purchases = (
            Purchase.objects.select_for_update()
            .filter(status=PurchaseStatus.APPROVED, bank_file__isnull=True)
            .exclude(supplier_bank_account="")
            .order_by("id")
        )
        return [
            ExtraCredit(
                key=f"{PURCHASE_KEY_PREFIX}{p.pk}",
                member=None,
                amount=p.amount,
                transaction_code=code,
                reference=p.reference,
                payee_name=p.supplier,
                payee_account=p.supplier_bank_account,
            )
            for p in purchases
        ]

    def credits_filed(
        self,
        *,
        bank_file: BankFile,
        filed: Sequence[ExtraCredit],
        left_out: Sequence[tuple[ExtraCredit, str]],
    ) -> None:
        ids = [int(c.key.removeprefix(PURCHASE_KEY_PREFIX)) for c in filed]
        Purchase.objects.filter(pk__in=ids, status=PurchaseStatus.APPROVED).update(
            bank_file=bank_file, status=PurchaseStatus.IN_BANK_FILE
        )

    def file_sent(self, *, bank_file: BankFile, acting_user: User) -> None:
        purchases = list(
            Purchase.objects.select_for_update().filter(
                bank_file=bank_file, status=PurchaseStatus.IN_BANK_FILE
            )
        )
        if not purchases:
            return
        day = bank_file.payment_day
        coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
        total = sum((p.amount for p in purchases), ZERO)
        entry_post(
            date=day,
            description=str(
                _("Bank file %(n)04d: supplier payments") % {"n": bank_file.creation_number}
            ),
            lines=[
                LineSpec(accounts.SUPPLIERS_PAYABLE, coop, total),
                LineSpec(accounts.BANK, coop, -total),
            ],
            idempotency_key=f"expenses:bankfile:{bank_file.pk}:suppliers",
            acting_user=acting_user,
            source=bank_file,
        )
        reference = str(_("Bank file %(n)04d") % {"n": bank_file.creation_number})
        for purchase in purchases:
            purchase.status, purchase.paid_on = PurchaseStatus.PAID, day
            purchase.payment_reference = reference[:100]
            purchase._history_user = acting_user  # type: ignore[attr-defined]
            purchase.save(update_fields=["status", "paid_on", "payment_reference"])
