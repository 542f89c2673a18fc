"""Approved claims are reimbursed with the next pay run's bank file.

Payroll makes the file; this provider (registered from ``ExpensesConfig.ready``)
adds one credit per approved claim not yet in a file, with the CPA-005
transaction code of the expense rules in force on the pay date (230, expense
payment — not 200, payroll deposit: a reimbursement is never salary). A claim
whose member has no valid bank account stays approved and waits for the next
file. When the file is sent, each claim is paid: *reimbursements payable* on
its activity is cleared against the co-op's bank, in one entry per file.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from maille.core.models import User
from maille.core.money import ZERO
from maille.expenses.models import ClaimStatus, ExpenseClaim, ExpenseRules
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import COOP_ACTIVITY_CODE, Activity
from maille.payroll.bankfile import ExtraCredit
from maille.payroll.models import BankFile, PayRun

KEY_PREFIX = "expenses:claim:"


class ReimbursementProvider:
    def credits_due(self, *, run: PayRun) -> Sequence[ExtraCredit]:
        rules = ExpenseRules.in_force(run.pay_date)
        code = rules.reimbursement_code if rules is not None else "230"
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
        day = max(bank_file.run.pay_date, bank_file.created_on)
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
