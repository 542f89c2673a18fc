"""Governance's side of the bank: a deposit matched to a member's shares
(``payments.member_shares``) and ristournes in cash through the pay run's bank
file (``payroll.bankfile``). Both lower apps call back through what is
registered here from ``GovernanceConfig.ready``; neither imports governance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from maille.core.models import User
from maille.governance.exceptions import GovernanceError
from maille.governance.models import Membership, MovementKind, PaymentMethod, ShareMovement
from maille.governance.selectors import share_figures_all
from maille.governance.shares import shares_pay, shares_payment_undo
from maille.ledger.models import JournalEntry
from maille.members.models import Member
from maille.payments.member_shares import MemberOwing


class SharePayments:
    """How a bank deposit pays a member's shares (registered with payments)."""

    def members_owing(self) -> Sequence[MemberOwing]:
        figures = share_figures_all()
        members = Membership.objects.filter(withdrawn_on__isnull=True).select_related("member")
        return [
            MemberOwing(m.member_id, f"{m.member.number} {m.member.full_name}", owing)
            for m in sorted(members, key=lambda x: x.member.number)
            if (owing := figures[m.member_id].owing) > 0
        ]

    def payment_record(
        self,
        *,
        member_id: int,
        amount: Decimal,
        date: dt.date,
        bank_account_code: str,
        note: str,
        acting_user: User,
    ) -> JournalEntry:
        member = Member.objects.filter(pk=member_id).first()
        if member is None:
            raise GovernanceError(_("member: no such member."))
        movement = shares_pay(
            member=member,
            amount=amount,
            date=date,
            method=PaymentMethod.TRANSFER,
            acting_user=acting_user,
            bank_account_code=bank_account_code,
            note=note,
        )
        if movement.entry is None:
            raise GovernanceError(_("The payment on shares was not posted."))
        return movement.entry

    def payment_undo(
        self, *, entry: JournalEntry, date: dt.date, reason: str, acting_user: User
    ) -> None:
        payment = ShareMovement.objects.get(entry=entry, kind=MovementKind.PAYMENT)
        shares_payment_undo(payment=payment, date=date, reason=reason, acting_user=acting_user)
