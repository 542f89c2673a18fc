"""Reads for quotes, always scoped to the person asking (404 for anything else).

Staff see every quote; a member sees the quotes of the activities they own;
a client contact sees the quotes sent to their own client, never a draft.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum
from django.shortcuts import get_object_or_404

from maille.contracts.models import Quote, QuoteStatus
from maille.core.models import User

CLIENT_VISIBLE = (
    QuoteStatus.SENT,
    QuoteStatus.ACCEPTED,
    QuoteStatus.REFUSED,
    QuoteStatus.CANCELLED,
)


def quote_list(
    *,
    user: User,
    status: str = "",
    client_id: int | None = None,
    activity_id: int | None = None,
) -> QuerySet[Quote]:
    qs = Quote.objects.select_related("client", "activity", "author__user")
    if user.is_client_contact:
        qs = qs.filter(client__contacts__user=user, status__in=CLIENT_VISIBLE)
    elif not user.is_staff:
        qs = qs.filter(activity__owners__user=user) if user.is_member else qs.none()
    if status:
        qs = qs.filter(status=status)
    if client_id:
        qs = qs.filter(client_id=client_id)
    if activity_id:
        qs = qs.filter(activity_id=activity_id)
    return qs.distinct()


def quote_get(*, user: User, pk: int) -> Quote:
    return get_object_or_404(quote_list(user=user), pk=pk)


def quotes_subtotal(qs: QuerySet[Quote]) -> Decimal:
    """Sum of the lines of these quotes (for pipelines and list totals)."""
    amount = ExpressionWrapper(
        F("lines__quantity") * F("lines__unit_price"),
        output_field=DecimalField(max_digits=20, decimal_places=5),
    )
    total = Quote.objects.filter(pk__in=qs.values("pk")).aggregate(s=Sum(amount))["s"]
    return Decimal(total or 0).quantize(Decimal("0.01"))
