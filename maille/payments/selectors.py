"""Reads for payments and bank lines, scoped to the person asking.

Staff see everything. A member sees the payments allocated to invoices of
their own activities (only those allocations, never a client's other
invoices nor the bank lines). A client contact sees the payments of their own
client. Bank accounts, statements and bank lines are staff only.

What other apps read (the budget of an activity, ARCHITECTURE §3):

- ``collected(invoice_ids=…, activity=…, as_of=…)``: per invoice, the amount
  collected — its allocations net of reversals, as of a date (an allocation
  counts from its date; a reversed payment stops counting from its reversal
  date).
- ``collected_subtotal(…)``: the same, as the collected share of each
  invoice's subtotal (payments pro rata: collected × subtotal / total,
  rounded half-up per invoice), per invoice, and ``activity_collected_subtotal``
  summed over an activity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maille.clients.models import Client
from maille.core.models import User
from maille.core.money import ZERO, round_half_up
from maille.invoicing.models import Invoice
from maille.members.models import Activity
from maille.payments.hooks import credit_used
from maille.payments.models import (
    Allocation,
    BankAccount,
    BankLine,
    Payment,
    Reconciliation,
    Refund,
)


def locked_until(account: BankAccount) -> dt.date | None:
    """The last day of the account's reconciled periods: nothing of the bank's
    is added, matched or dated on or before it."""
    last = Reconciliation.objects.filter(bank_account=account).order_by("-period_end").first()
    return last.period_end if last else None


def _allocations_as_of(as_of: dt.date | None) -> QuerySet[Allocation]:
    qs = Allocation.objects.all()
    if as_of is None:
        return qs.filter(payment__reversed_on__isnull=True)
    return qs.filter(date__lte=as_of).filter(
        Q(payment__reversed_on__isnull=True) | Q(payment__reversed_on__gt=as_of)
    )


def collected(
    *,
    invoice_ids: Iterable[int] | None = None,
    activity: Activity | None = None,
    as_of: dt.date | None = None,
) -> dict[int, Decimal]:
    """Per invoice id, what its client paid on it (allocations net of reversals) as of a date.

    Invoices with nothing collected are left out.
    """
    qs = _allocations_as_of(as_of)
    if invoice_ids is not None:
        qs = qs.filter(invoice_id__in=list(invoice_ids))
    if activity is not None:
        qs = qs.filter(invoice__activity=activity)
    rows = qs.values("invoice_id").annotate(s=Sum("amount")).order_by()
    return {r["invoice_id"]: Decimal(r["s"]) for r in rows if r["s"]}


def collected_subtotal(
    *,
    invoice_ids: Iterable[int] | None = None,
    activity: Activity | None = None,
    as_of: dt.date | None = None,
) -> dict[int, Decimal]:
    """Per invoice id, the collected share of its subtotal (payments pro rata)."""
    amounts = collected(invoice_ids=invoice_ids, activity=activity, as_of=as_of)
    totals = Invoice.objects.filter(pk__in=list(amounts)).values_list("pk", "subtotal", "total")
    return {
        pk: (amounts[pk] if total == subtotal else round_half_up(amounts[pk] * subtotal / total))
        for pk, subtotal, total in totals
        if total
    }


def activity_collected_subtotal(*, activity: Activity, as_of: dt.date | None = None) -> Decimal:
    """The collected share of the subtotals of an activity's invoices, summed."""
    return sum(collected_subtotal(activity=activity, as_of=as_of).values(), ZERO)


# --- Scoped lists ------------------------------------------------------------


def payment_list(*, user: User) -> QuerySet[Payment]:
    qs = Payment.objects.select_related("client", "bank_account")
    if user.is_staff:
        return qs
    if user.is_client_contact:
        return qs.filter(client__contacts__user=user).distinct()
    if user.is_member:
        return qs.filter(allocations__invoice__activity__owners__user=user).distinct()
    return qs.none()


def payment_get(*, user: User, pk: int) -> Payment:
    return get_object_or_404(payment_list(user=user), pk=pk)


def allocations_visible(*, user: User, payment: Payment) -> QuerySet[Allocation]:
    """The payment's allocations the person may see (a member: their invoices only)."""
    qs = payment.allocations.select_related("invoice", "invoice__activity").order_by("date", "pk")
    if user.is_staff:
        return qs
    if user.is_client_contact:
        return qs.filter(invoice__client__contacts__user=user)
    if user.is_member:
        return qs.filter(invoice__activity__owners__user=user)
    return qs.none()


def invoice_allocations(*, invoice: Invoice) -> QuerySet[Allocation]:
    """The payments of one invoice (the caller fetched the invoice through its scoped selector)."""
    return invoice.allocations.select_related("payment", "payment__bank_account").order_by(
        "date", "pk"
    )


def client_credit(*, client: Client) -> Decimal:
    """Money received from the client not yet allocated nor refunded."""
    payments = Payment.objects.filter(client=client, reversed_on__isnull=True)
    received = payments.aggregate(s=Sum("amount"))["s"] or ZERO
    allocated = Allocation.objects.filter(payment__in=payments).aggregate(s=Sum("amount"))["s"]
    refunded = Refund.objects.filter(payment__in=payments).aggregate(s=Sum("amount"))["s"]
    used = sum(credit_used(list(payments.values_list("pk", flat=True))).values(), ZERO)
    return Decimal(received) - Decimal(allocated or ZERO) - Decimal(refunded or ZERO) - used


def payment_credit(*, payment: Payment) -> Decimal:
    """What is left of one payment to allocate or refund (zero once reversed)."""
    if payment.is_reversed:
        return ZERO
    allocated = payment.allocations.aggregate(s=Sum("amount"))["s"] or ZERO
    refunded = payment.refunds.aggregate(s=Sum("amount"))["s"] or ZERO
    used = credit_used([payment.pk])[payment.pk]
    return payment.amount - Decimal(allocated) - Decimal(refunded) - used


def payments_with_credit(*, client: Client | None = None) -> list[tuple[Payment, Decimal]]:
    """Payments with something left to allocate (unknown payers included when no client)."""
    qs = Payment.objects.filter(reversed_on__isnull=True).select_related("client")
    qs = qs.filter(client=client) if client is not None else qs
    out = []
    for payment in qs.order_by("date", "pk"):
        left = payment_credit(payment=payment)
        if left > 0:
            out.append((payment, left))
    return out


def member_recent_payments(*, user: User, days: int = 30) -> QuerySet[Allocation]:
    """What clients paid on the member's invoices lately (their home page)."""
    since = timezone.localdate() - dt.timedelta(days=days)
    return (
        Allocation.objects.filter(
            invoice__activity__owners__user=user,
            payment__reversed_on__isnull=True,
            date__gte=since,
        )
        .select_related("invoice", "invoice__activity")
        .order_by("-date", "-pk")
        .distinct()
    )


def portal_allocations(*, user: User) -> QuerySet[Allocation]:
    """What a client contact's company paid, invoice by invoice."""
    if not user.is_client_contact:
        return Allocation.objects.none()
    return (
        Allocation.objects.filter(invoice__client__contacts__user=user)
        .select_related("invoice", "payment")
        .order_by("-date", "-pk")
    )


def bank_account_list() -> QuerySet[BankAccount]:
    return BankAccount.objects.select_related("ledger_account")


def bank_account_by_code(code: str) -> BankAccount | None:
    return (
        BankAccount.objects.select_related("ledger_account")
        .filter(ledger_account__code=code)
        .first()
    )


def bank_line_list(
    *, bank_account: BankAccount | None = None, status: str = "", search: str = ""
) -> QuerySet[BankLine]:
    qs = BankLine.objects.select_related("bank_account", "payment", "entry")
    if bank_account is not None:
        qs = qs.filter(bank_account=bank_account)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(description__icontains=search)
            | Q(payer_name__icontains=search)
            | Q(reference__icontains=search)
            | Q(remittance__icontains=search)
        )
    return qs.order_by("date", "pk")


def refunds_pending_transfer() -> list[Refund]:
    """Refunds of client credit by transfer not yet in a CPA-005 file, oldest first
    (what payroll's next bank file pays; the refund's entry is already posted)."""
    return list(
        Refund.objects.filter(method="transfer", bank_file_number__isnull=True)
        .select_for_update()
        .order_by("id")
    )
