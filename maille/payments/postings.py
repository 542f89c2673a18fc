"""Ledger postings of client payments, credits, refunds, reversals and bank lines.

Every entry goes through ``maille.ledger.services`` with an idempotency key
derived from the payment (or the bank line), so a retried request or task
posts once. ``Bank`` is the bank account's own ledger account (``1000`` for
the demo's operating account).

Receipt of a payment (key ``payments:payment:<id>:receipt``), on the
payment's date; each allocated invoice's lines on that invoice's activity, so
the entry balances per activity too; what is left over is the client's credit,
a liability of the co-op:

    Bank            +allocated   [A]        (per invoice activity)
    Receivable      −allocated   [A]
    Bank            +unallocated [COOP]
    Client credits  −unallocated [COOP]

The credit applied later to an invoice (key ``payments:allocation:<id>``):
the money moves from the co-op's side of the bank to the activity's, and the
credit becomes receivable paid:

    Client credits  +x  [COOP]      Bank  −x  [COOP]
    Bank            +x  [A]         Receivable  −x  [A]

A refund of credit (key ``payments:refund:<id>``): Client credits +x, Bank −x
[COOP]. A reversal (NSF) is ``entry_reverse`` of each of the payment's
entries: a reversing entry, the original stays. A bank line marked as
something else (key ``payments:line:<id>``): fees to ``Bank fees`` [COOP],
interest to ``Interest income`` [COOP], a member's shares to ``Share capital``
[COOP], a transfer between the co-op's accounts to the other account's ledger
account.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from maille.core.models import User
from maille.ledger import accounts
from maille.ledger.models import JournalEntry
from maille.ledger.services import EntrySpec, LineSpec, entries_post_many, entry_post, entry_reverse
from maille.members.models import COOP_ACTIVITY_CODE, Activity
from maille.payments.models import Allocation, BankLine, OtherKind, Payment, Refund


def coop() -> Activity:
    return Activity.objects.get(code=COOP_ACTIVITY_CODE)


def receipt_key(payment: Payment) -> str:
    return f"payments:payment:{payment.pk}:receipt"


def _merged(lines: list[LineSpec]) -> list[LineSpec]:
    """One line per (account, activity): an entry reads better, and no zero lines."""
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    activities: dict[int, Activity] = {}
    for line in lines:
        totals[(line.account, line.activity.pk)] += line.amount
        activities[line.activity.pk] = line.activity
    return [
        LineSpec(account=code, activity=activities[pk], amount=amount)
        for (code, pk), amount in totals.items()
        if amount
    ]


def receipt_spec(
    payment: Payment, allocations: list[Allocation], coop_activity: Activity
) -> EntrySpec:
    payer = payment.client.legal_name if payment.client else payment.payer_name
    return receipt_spec_from(
        payment, [(a.invoice.activity, a.amount) for a in allocations], coop_activity, payer
    )


def receipt_spec_from(
    payment: Payment,
    parts: list[tuple[Activity, Decimal]],
    coop_activity: Activity,
    payer: str,
) -> EntrySpec:
    """The receipt entry from (invoice activity, amount allocated) pairs."""
    bank = payment.bank_account.ledger_account.code
    lines: list[LineSpec] = []
    allocated = Decimal(0)
    for activity, amount in parts:
        lines += [
            LineSpec(account=bank, activity=activity, amount=amount),
            LineSpec(account=accounts.AR, activity=activity, amount=-amount),
        ]
        allocated += amount
    rest = payment.amount - allocated
    if rest:
        lines += [
            LineSpec(account=bank, activity=coop_activity, amount=rest),
            LineSpec(account=accounts.CLIENT_CREDITS, activity=coop_activity, amount=-rest),
        ]
    description = _("Payment %(p)s received — %(payer)s") % {"p": payment, "payer": payer or "?"}
    return EntrySpec(
        date=payment.date,
        description=description[:300],
        lines=_merged(lines),
        idempotency_key=receipt_key(payment),
        source=payment,
    )


def post_receipt(
    payment: Payment, allocations: list[Allocation], acting_user: User | None
) -> JournalEntry:
    (entry,) = entries_post_many(
        entries=[receipt_spec(payment, allocations, coop())], acting_user=acting_user
    )
    return entry


def post_credit_applied(allocation: Allocation, acting_user: User | None) -> JournalEntry:
    payment = allocation.payment
    bank = payment.bank_account.ledger_account.code
    house = coop()
    activity = allocation.invoice.activity
    x = allocation.amount
    return entry_post(
        date=allocation.date,
        description=(
            _("Credit of %(p)s applied to %(i)s") % {"p": payment, "i": allocation.invoice}
        )[:300],
        lines=_merged(
            [
                LineSpec(account=accounts.CLIENT_CREDITS, activity=house, amount=x),
                LineSpec(account=bank, activity=house, amount=-x),
                LineSpec(account=bank, activity=activity, amount=x),
                LineSpec(account=accounts.AR, activity=activity, amount=-x),
            ]
        ),
        idempotency_key=f"payments:allocation:{allocation.pk}",
        acting_user=acting_user,
        source=payment,
    )


def post_refund(refund: Refund, acting_user: User | None) -> JournalEntry:
    payment = refund.payment
    house = coop()
    return entry_post(
        date=refund.date,
        description=(_("Refund of the credit of %(p)s") % {"p": payment})[:300],
        lines=[
            LineSpec(account=accounts.CLIENT_CREDITS, activity=house, amount=refund.amount),
            LineSpec(
                account=payment.bank_account.ledger_account.code,
                activity=house,
                amount=-refund.amount,
            ),
        ],
        idempotency_key=f"payments:refund:{refund.pk}",
        acting_user=acting_user,
        source=payment,
    )


def reverse_payment(
    payment: Payment, *, date: dt.date, reason: str, acting_user: User | None
) -> list[JournalEntry]:
    """Reverse every entry the payment posted (receipt and credits applied)."""
    entries = JournalEntry.objects.filter(
        source_type__app_label="payments",
        source_type__model="payment",
        source_id=payment.pk,
        reverses__isnull=True,
    ).order_by("number")
    return [
        entry_reverse(
            entry=entry, date=max(date, entry.date), acting_user=acting_user, reason=reason
        )
        for entry in entries
    ]


def other_account(line: BankLine, kind: str, transfer_account: str | None) -> str:
    if kind == OtherKind.BANK_FEES:
        return accounts.BANK_FEES
    if kind == OtherKind.INTEREST:
        return accounts.INTEREST_INCOME
    if kind == OtherKind.SHARES:
        return accounts.SHARE_CAPITAL
    if transfer_account is None:
        raise RuntimeError("a transfer names the other account")
    return transfer_account


def post_other(
    line: BankLine, *, kind: str, transfer_account: str | None, acting_user: User | None
) -> JournalEntry:
    house = coop()
    counter = other_account(line, kind, transfer_account)
    return entry_post(
        date=line.date,
        description=(f"{OtherKind(kind).label} — {line.description}")[:300],
        lines=[
            LineSpec(
                account=line.bank_account.ledger_account.code, activity=house, amount=line.amount
            ),
            LineSpec(account=counter, activity=house, amount=-line.amount),
        ],
        idempotency_key=f"payments:line:{line.pk}:other:{line.version}",
        acting_user=acting_user,
        source=line,
    )
