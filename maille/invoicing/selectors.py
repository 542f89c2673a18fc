"""Reads for invoices, always scoped to the person asking (404 for anything else).

Staff see every invoice; a member sees the invoices of the activities they
own (their drafts included); a client contact sees the issued invoices and
credit notes of their own client — never a draft, never an internal invoice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maille.contracts.models import Quote, QuoteStatus
from maille.contracts.selectors import quote_list, quotes_subtotal
from maille.core.models import User
from maille.core.money import ZERO
from maille.invoicing import settlement
from maille.invoicing.models import OPEN_STATUSES, Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from maille.members.models import Activity, ActivityKind, ActivityStatus


def internal_buyers() -> QuerySet[Activity]:
    """The activities an internal invoice may be addressed to: open member activities.

    The co-op's own activities (COOP, FONDS) never buy through an internal
    invoice. One rule for the page's choices, the API and the services.
    """
    return Activity.objects.filter(status=ActivityStatus.OPEN, kind=ActivityKind.MEMBER)


@dataclass(frozen=True)
class InvoiceFilters:
    status: str = ""
    kind: str = ""
    client_id: int | None = None
    activity_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False
    search: str = ""
    # The list's default period still shows every draft (they have no date yet).
    drafts_too: bool = False


def invoice_list(*, user: User, filters: InvoiceFilters | None = None) -> QuerySet[Invoice]:
    f = filters or InvoiceFilters()
    qs = Invoice.objects.select_related("client", "activity", "buyer_activity")
    if user.is_client_contact:
        qs = qs.filter(
            client__contacts__user=user,
            buyer_activity__isnull=True,
        ).exclude(status=InvoiceStatus.DRAFT)
    elif not user.is_staff:
        if not user.is_member:
            return qs.none()
        qs = qs.filter(Q(activity__owners__user=user) | Q(buyer_activity__owners__user=user))
        qs = qs.distinct()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.client_id:
        qs = qs.filter(client_id=f.client_id)
    if f.activity_id:
        qs = qs.filter(activity_id=f.activity_id)
    if f.date_from:
        since = Q(issue_date__gte=f.date_from)
        qs = qs.filter(since | Q(status=InvoiceStatus.DRAFT) if f.drafts_too else since)
    if f.date_to:
        qs = qs.filter(issue_date__lte=f.date_to)
    if f.overdue:
        qs = qs.filter(
            status__in=OPEN_STATUSES, kind=InvoiceKind.INVOICE, due_date__lt=timezone.localdate()
        )
    if f.search:
        # A number prefix (F-2026-0001…) uses the number's index; a name is searched
        # among this page's clients through the client filter instead.
        qs = qs.filter(number__startswith=f.search.upper())
    return qs


def invoice_get(*, user: User, pk: int) -> Invoice:
    return get_object_or_404(invoice_list(user=user), pk=pk)


@dataclass(frozen=True)
class Totals:
    count: int
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal


def invoice_totals(qs: QuerySet[Invoice]) -> Totals:
    """Count and sums in one query; credit notes count negative."""
    sign_sub = Sum("subtotal", filter=Q(kind=InvoiceKind.INVOICE), default=ZERO) - Sum(
        "subtotal", filter=Q(kind=InvoiceKind.CREDIT_NOTE), default=ZERO
    )
    sign_tax = Sum("tax_total", filter=Q(kind=InvoiceKind.INVOICE), default=ZERO) - Sum(
        "tax_total", filter=Q(kind=InvoiceKind.CREDIT_NOTE), default=ZERO
    )
    sign_tot = Sum("total", filter=Q(kind=InvoiceKind.INVOICE), default=ZERO) - Sum(
        "total", filter=Q(kind=InvoiceKind.CREDIT_NOTE), default=ZERO
    )
    row = qs.order_by().aggregate(n=Count("*"), s=sign_sub, t=sign_tax, g=sign_tot)
    return Totals(row["n"], Decimal(row["s"]), Decimal(row["t"]), Decimal(row["g"]))


class CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator told its count (from the totals query) instead of counting again."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def with_credited(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate each invoice with the total of its issued credit notes, so that a
    list computes every balance due in its one query (``balance_due``)."""
    credited = (
        Invoice.objects.filter(corrects=OuterRef("pk"))
        .exclude(status=InvoiceStatus.DRAFT)
        .values("corrects")
        .annotate(s=Sum("total"))
        .values("s")
    )
    return invoices.annotate(credited_total=Subquery(credited))


def balance_due(invoice: Invoice) -> Decimal:
    """What the client still owes on an invoice: its total less credit notes, payments
    and write-offs (``settlement``); zero for a draft or a credit note."""
    if invoice.is_credit_note or invoice.is_draft:
        return ZERO
    if hasattr(invoice, "credited_total"):  # annotated by with_credited: no query
        return settlement.open_amount(invoice, credited=Decimal(invoice.credited_total or ZERO))
    return settlement.open_amount(invoice)


def client_balance_due(*, user: User) -> Decimal:
    """What the client contact's company owes over its open invoices."""
    invoices = with_credited(
        invoice_list(user=user).filter(status__in=OPEN_STATUSES, kind=InvoiceKind.INVOICE)
    )
    return sum((balance_due(i) for i in invoices), ZERO)


@dataclass(frozen=True)
class Pipeline:
    quoted: Decimal
    accepted: Decimal
    invoiced: Decimal
    paid: Decimal
    drafts: int
    overdue: int


def activity_pipeline(*, user: User, activity: Activity) -> Pipeline:
    """Quoted (sent, awaiting an answer), accepted, invoiced (net of credit notes) and paid."""
    quotes = quote_list(user=user, activity_id=activity.pk)
    invoices = invoice_list(user=user, filters=InvoiceFilters(activity_id=activity.pk)).exclude(
        status=InvoiceStatus.DRAFT
    )
    totals = invoice_totals(invoices)
    paid = invoices.filter(status=InvoiceStatus.PAID).aggregate(s=Sum("subtotal"))["s"] or ZERO
    return Pipeline(
        quoted=quotes_subtotal(quotes.filter(status=QuoteStatus.SENT)),
        accepted=quotes_subtotal(
            quotes.filter(status__in=[QuoteStatus.ACCEPTED, QuoteStatus.CANCELLED])
        ),
        invoiced=totals.subtotal,
        paid=Decimal(paid),
        drafts=invoice_list(user=user, filters=InvoiceFilters(activity_id=activity.pk))
        .filter(status=InvoiceStatus.DRAFT)
        .count(),
        overdue=invoice_list(
            user=user, filters=InvoiceFilters(activity_id=activity.pk, overdue=True)
        ).count(),
    )


def quote_invoiced(quote: Quote, exclude: Invoice | None = None) -> Decimal:
    """Subtotal already invoiced from a quote (drafts included), net of credit notes."""
    invoices = Invoice.objects.filter(quote=quote, kind=InvoiceKind.INVOICE)
    if exclude is not None:
        invoices = invoices.exclude(pk=exclude.pk)
    invoiced = invoices.aggregate(s=Sum("subtotal"))["s"] or ZERO
    credited = (
        Invoice.objects.filter(corrects__quote=quote, kind=InvoiceKind.CREDIT_NOTE)
        .exclude(status=InvoiceStatus.DRAFT)
        .aggregate(s=Sum("subtotal"))["s"]
        or ZERO
    )
    return Decimal(invoiced) - Decimal(credited)


def credited_by_line(invoice: Invoice) -> dict[int, Decimal]:
    """Amount already credited per line of an invoice (issued or draft credit notes)."""
    rows = (
        InvoiceLine.objects.filter(credited_line__invoice=invoice)
        .values("credited_line")
        .annotate(s=Sum("amount"))
    )
    return {int(r["credited_line"] or 0): Decimal(r["s"]) for r in rows}


def latest_issue_date(*, series: str) -> dt.date | None:
    """The date of the last number issued in a series (any year)."""
    return (
        Invoice.objects.filter(series=series, year__isnull=False)
        .order_by("-year", "-sequence")
        .values_list("issue_date", flat=True)
        .first()
    )
