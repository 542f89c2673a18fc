"""Reads of expenses, scoped to the person asking: a member sees their own claims
and the purchases of their activities, staff see all; anyone else gets 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from maille.core.models import User
from maille.core.money import ZERO
from maille.expenses.models import ClaimKind, ClaimStatus, ExpenseClaim, Purchase, Receipt


def claim_list(*, user: User, status: str = "", kind: str = "") -> QuerySet[ExpenseClaim]:
    qs = ExpenseClaim.objects.select_related("activity", "member__user", "receipt")
    if not user.is_staff:
        qs = qs.filter(member__user=user) if user.is_member else qs.none()
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def claim_get(*, user: User, pk: int) -> ExpenseClaim:
    return get_object_or_404(claim_list(user=user), pk=pk)


def purchase_list(*, user: User, status: str = "") -> QuerySet[Purchase]:
    qs = Purchase.objects.select_related("activity", "receipt")
    if not user.is_staff:
        qs = qs.filter(activity__owners__user=user).distinct() if user.is_member else qs.none()
    if status:
        qs = qs.filter(status=status)
    return qs


def purchase_get(*, user: User, pk: int) -> Purchase:
    return get_object_or_404(purchase_list(user=user), pk=pk)


def receipt_get(*, user: User, pk: int) -> Receipt:
    """A receipt file, for its claim's member, the purchase's activity owners and staff."""
    visible = Q(pk__in=claim_list(user=user).values("receipt_id")) | Q(
        pk__in=purchase_list(user=user).values("receipt_id")
    )
    return get_object_or_404(Receipt.objects.filter(visible), pk=pk)


@dataclass(frozen=True, slots=True)
class QueueTotals:
    count: int
    amount: Decimal
    itc: Decimal
    itr: Decimal


def queue_totals(qs: QuerySet[ExpenseClaim]) -> QueueTotals:
    sums = qs.aggregate(amount=Sum("amount"), itc=Sum("itc"), itr=Sum("itr"))
    return QueueTotals(
        count=qs.count(),
        amount=sums["amount"] or ZERO,
        itc=sums["itc"] or ZERO,
        itr=sums["itr"] or ZERO,
    )


def staff_queue() -> QuerySet[ExpenseClaim]:
    return (
        ExpenseClaim.objects.filter(status=ClaimStatus.SUBMITTED)
        .select_related("activity", "member__user", "receipt")
        .order_by("date", "id")
    )


def mileage_log(*, user: User, year: int) -> QuerySet[ExpenseClaim]:
    return claim_list(user=user, kind=ClaimKind.MILEAGE).filter(date__year=year).order_by("date")


def km_this_year(*, user: User, year: int) -> Decimal:
    total = (
        mileage_log(user=user, year=year)
        .exclude(status=ClaimStatus.RETURNED)
        .aggregate(total=Sum("km"))["total"]
    )
    return Decimal(total or 0)


def period_claims(*, start: dt.date, end: dt.date) -> QuerySet[ExpenseClaim]:
    """Claims dated in the period and not returned, for the accountant (staff only)."""
    return (
        ExpenseClaim.objects.filter(date__gte=start, date__lte=end)
        .exclude(status=ClaimStatus.RETURNED)
        .select_related("activity", "member__user", "receipt")
        .order_by("date", "id")
    )


def period_purchases(*, start: dt.date, end: dt.date) -> QuerySet[Purchase]:
    return (
        Purchase.objects.filter(date__gte=start, date__lte=end)
        .exclude(status="refused")
        .select_related("activity", "receipt")
        .order_by("date", "id")
    )
