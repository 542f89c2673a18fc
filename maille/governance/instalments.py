"""Share instalments deducted from pay: governance's provider of ``payroll.deductions``.

A member who subscribed shares with the method "deducted from pay" (as the
by-laws allow: ``Bylaws.instalments_by_payroll``) has each instalment due
(``selectors.payroll_instalments_due``: the by-laws' monthly plan, arrears
included, never more than owed) withheld from their next net pay, after tax.
Payroll never imports governance: this provider is registered from
``GovernanceConfig.ready``.

Posting (``shares.shares_paid_by_payroll``): the payslip credits Other
payroll deductions payable 2230 on the member's activity; the payment on
shares debits it there and credits Share subscriptions receivable 1350 on
``COOP``. A reversed payslip undoes the payment (``shares_payment_undo``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maille.governance.models import MovementKind, ShareMovement
from maille.governance.selectors import payroll_instalments_due
from maille.governance.shares import PayrollPayment, shares_paid_by_payroll, shares_payment_undo
from maille.payroll.deductions import Deduction

if TYPE_CHECKING:
    from maille.core.models import User
    from maille.payroll.deductions import Withheld
    from maille.payroll.models import Payslip

KEY_PREFIX = "governance:shares:"
LABEL = gettext_lazy("Share instalment")


class ShareInstalments:
    """``payroll.deductions.DeductionProvider`` for shares paid from pay."""

    def deductions_due(
        self, *, member_ids: Sequence[int], pay_date: dt.date
    ) -> Mapping[int, Sequence[Deduction]]:
        return {
            member_id: [Deduction(key=f"{KEY_PREFIX}{member_id}", label=LABEL, amount=amount)]
            for member_id, amount in payroll_instalments_due(member_ids, on=pay_date).items()
        }

    def deductions_withheld(
        self, *, withheld: Sequence[Withheld], acting_user: User | None
    ) -> None:
        shares_paid_by_payroll(
            payments=[
                PayrollPayment(
                    member_id=w.payslip.member_id,
                    payslip_id=w.payslip.pk,
                    activity=w.payslip.activity,
                    date=w.payslip.pay_date,
                    amount=w.amount,
                )
                for w in withheld
            ],
            acting_user=acting_user,
        )

    def deductions_reversed(
        self, *, payslip: Payslip, withheld: Sequence[Withheld], date: dt.date, acting_user: User
    ) -> None:
        payment = ShareMovement.objects.filter(payslip=payslip, kind=MovementKind.PAYMENT).first()
        if payment is None or ShareMovement.objects.filter(counterpart_movement=payment).exists():
            return
        shares_payment_undo(
            payment=payment,
            date=date,
            reason=_("Payslip of %(date)s reversed") % {"date": payslip.pay_date.isoformat()},
            acting_user=acting_user,
        )
