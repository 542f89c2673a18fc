"""Reads for collection, scoped to the person asking (404 for anything else).

Staff see every case; a member sees the cases that hold one of their
invoices, and in them only their own invoices; a client contact sees their
own client's case (reminders, disputes, promises), nothing of the staff's
notes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maille.collection.interest import InterestBasis, interest_basis, interest_to_the_day
from maille.collection.legal import (
    LegalRoute,
    Prescription,
    latest_acknowledgements,
    legal_route,
    prescription,
)
from maille.collection.models import (
    CaseEvent,
    CollectionCase,
    Dispute,
    DisputeStatus,
    DunningPolicy,
    EventKind,
    FormalNotice,
    InvoiceDunning,
    LegalParameters,
    PaymentPlan,
    PlanStatus,
    Promise,
    Reminder,
    ReminderStatus,
)
from maille.core.models import User
from maille.core.money import ZERO
from maille.invoicing.models import OPEN_STATUSES, Invoice, InvoiceKind, InvoiceStatus
from maille.invoicing.selectors import balance_due, invoice_list, with_credited

# ---------------------------------------------------------------- scoping


def case_list(*, user: User) -> QuerySet[CollectionCase]:
    qs = CollectionCase.objects.select_related("client")
    if user.is_staff:
        return qs
    if user.is_member:
        return qs.filter(invoices__invoice__activity__owners__user=user).distinct()
    if user.is_client_contact:
        return qs.filter(client__contacts__user=user)
    return qs.none()


def case_get(*, user: User, pk: int) -> CollectionCase:
    return get_object_or_404(case_list(user=user), pk=pk)


def case_invoices(*, user: User, case: CollectionCase) -> QuerySet[Invoice]:
    """The case's open invoices the person may see (a member: their own only)."""
    qs = invoice_list(user=user).filter(
        client_id=case.client_id, kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES
    )
    return with_credited(qs).select_related("quote").order_by("due_date", "id")


def notice_get(*, user: User, pk: int) -> FormalNotice:
    notice = get_object_or_404(FormalNotice.objects.select_related("case__client"), pk=pk)
    case_get(user=user, pk=notice.case_id)  # 404 unless the case is theirs
    return notice


def dispute_get(*, user: User, pk: int) -> Dispute:
    dispute = get_object_or_404(Dispute.objects.select_related("invoice", "case"), pk=pk)
    if not invoice_list(user=user).filter(pk=dispute.invoice_id).exists():
        raise Http404
    return dispute


def dunning_for(*, user: User, invoice_id: int) -> InvoiceDunning:
    """An invoice's progress, for the member who did the work (or staff)."""
    dunning = get_object_or_404(
        InvoiceDunning.objects.select_related("invoice", "case"), invoice_id=invoice_id
    )
    if user.is_client_contact or not invoice_list(user=user).filter(pk=invoice_id).exists():
        raise Http404
    return dunning


# ---------------------------------------------------------------- interest


def agreed_rate(invoice: Invoice) -> Decimal:
    """The late-interest rate of the accepted quote behind the invoice (0: none agreed)."""
    if invoice.has_accepted_quote and invoice.quote is not None:
        return Decimal(invoice.quote.late_interest_rate)
    return ZERO


@dataclass(frozen=True, slots=True)
class InterestView:
    basis: InterestBasis
    amount: Decimal
    principal: Decimal
    until: dt.date


def legal_rates() -> list[tuple[dt.date, Decimal]]:
    rows = list(LegalParameters.objects.values_list("valid_from", "legal_interest_rate"))
    if not rows:
        default = LegalParameters.on(dt.date(2000, 1, 1))
        rows = [(default.valid_from, default.legal_interest_rate)]
    return rows


def invoice_interest(
    invoice: Invoice,
    *,
    on: dt.date,
    notice: FormalNotice | None = None,
    principal: Decimal | None = None,
) -> InterestView:
    """The interest the co-op may claim on ``invoice`` up to ``on`` (``interest`` module)."""
    if notice is None:
        notice = (
            FormalNotice.objects.filter(invoices=invoice, date__lte=on)
            .order_by("date", "id")
            .first()
        )
    policy = DunningPolicy.on(on)
    owed = balance_due(invoice) if principal is None else principal
    basis = interest_basis(
        due_date=invoice.due_date or on,
        agreed_rate=agreed_rate(invoice),
        default_by_lapse=policy.quote_default_by_lapse if policy else True,
        notice_date=notice.date if notice else None,
        notice_deadline=notice.deadline if notice else None,
    )
    if basis.start is None:
        return InterestView(basis, ZERO, owed, on)
    rates = [(dt.date(1900, 1, 1), basis.rate)] if basis.rate is not None else legal_rates()
    amount = interest_to_the_day(principal=owed, start=basis.start, end=on, rates=rates)
    return InterestView(basis, amount, owed, on)


def allowed_rate(invoice: Invoice, on: dt.date) -> Decimal:
    """The highest rate the co-op may claim on ``invoice``: the agreed one, else the legal one."""
    rate = agreed_rate(invoice)
    return rate if rate > 0 else LegalParameters.on(on).legal_interest_rate


# ---------------------------------------------------------------- case file


@dataclass(frozen=True)
class InvoiceRow:
    invoice: Invoice
    owed: Decimal
    days_overdue: int
    interest: InterestView
    prescription: Prescription
    disputed: bool
    member_hold: bool
    next_step: str


@dataclass(frozen=True)
class PlanProgress:
    paid: Decimal
    due: Decimal
    missed: dt.date | None
    rows: list[tuple[dt.date, Decimal, bool]] = field(default_factory=list)


def plan_progress(plan: PaymentPlan, on: dt.date) -> PlanProgress:
    """What was paid on the plan's invoices since it began, against each instalment."""
    paid_now = sum((Decimal(i.amount_paid) for i in plan.invoices.all()), ZERO)
    paid = paid_now - plan.paid_before
    due = ZERO
    missed = None
    rows = []
    cumulated = ZERO
    for instalment in plan.instalments.all():
        cumulated += instalment.amount
        met = paid >= cumulated
        rows.append((instalment.due_on, instalment.amount, met))
        if instalment.due_on < on:
            due = cumulated
            if not met and missed is None:
                missed = instalment.due_on
    return PlanProgress(paid=paid, due=due, missed=missed, rows=rows)


@dataclass(frozen=True)
class CaseView:
    case: CollectionCase
    rows: list[InvoiceRow]
    owed: Decimal
    interest: Decimal
    events: list[CaseEvent]
    promises: list[Promise]
    disputes: list[Dispute]
    plans: list[tuple[PaymentPlan, PlanProgress]]
    notices: list[FormalNotice]
    route: LegalRoute
    warnings: list[tuple[Invoice, int, dt.date]]
    evidence: list[Invoice]
    letters: list[Reminder] = field(default_factory=list)
    #: staff: the client's payments with credit left (late interest, recoveries)
    credits: list[tuple[object, Decimal]] = field(default_factory=list)
    #: staff: the client's issued invoices (late interest on one paid since)
    client_invoices: list[Invoice] = field(default_factory=list)
    interest_collected: list[object] = field(default_factory=list)


def case_view(*, user: User, case: CollectionCase, on: dt.date | None = None) -> CaseView:
    today = on or timezone.localdate()
    invoices = list(case_invoices(user=user, case=case))
    ids = [i.pk for i in invoices]
    acks = latest_acknowledgements(ids)
    open_disputes = set(
        Dispute.objects.filter(invoice_id__in=ids, status=DisputeStatus.OPEN).values_list(
            "invoice_id", flat=True
        )
    )
    dunnings = {d.invoice_id: d for d in InvoiceDunning.objects.filter(invoice_id__in=ids)}
    policy = DunningPolicy.on(today)
    steps = list(policy.steps.order_by("position")) if policy else []
    rows = []
    for invoice in invoices:
        owed = balance_due(invoice)
        due = invoice.due_date or today
        dunning = dunnings.get(invoice.pk)
        done = dunning.steps_done if dunning else 0
        step = steps[done] if done < len(steps) else None
        rows.append(
            InvoiceRow(
                invoice=invoice,
                owed=owed,
                days_overdue=max(0, (today - due).days),
                interest=invoice_interest(invoice, on=today, principal=owed),
                prescription=prescription(
                    due_date=due,
                    acknowledged_on=acks.get(invoice.pk),
                    judicial_demand_on=case.judicial_demand_on,
                    on=today,
                ),
                disputed=invoice.pk in open_disputes,
                member_hold=bool(dunning and dunning.member_hold),
                next_step=str(step.get_kind_display()) if step else "",
            )
        )
    owed = sum((r.owed for r in rows), ZERO)
    staff = user.is_staff
    events = CaseEvent.objects.filter(case=case).select_related("invoice", "created_by")
    if not staff:
        events = events.filter(invoice_id__in=ids)
        if user.is_client_contact:
            events = events.filter(
                kind__in=[
                    EventKind.REMINDER,
                    EventKind.PROMISE,
                    EventKind.DISPUTE,
                    EventKind.NOTICE,
                    EventKind.PLAN,
                ]
            )
    plans = [
        (p, plan_progress(p, today))
        for p in case.plans.prefetch_related("instalments", "invoices")
        if staff or any(i.pk in ids for i in p.invoices.all())
    ]
    evidence = [i for i in invoices if i.has_accepted_quote and i.quote_id]
    extra: dict[str, list[object]] = {}
    if staff:
        from maille.collection.models import Channel, InterestCollected
        from maille.payments.selectors import payments_with_credit

        extra = {
            "letters": list(
                Reminder.objects.filter(dunning__case=case, channel=Channel.LETTER)
                .select_related("dunning__invoice")
                .defer("letter_pdf")
                .order_by("-due_on", "-id")
            ),
            "credits": list(payments_with_credit(client=case.client)),
            "client_invoices": list(
                Invoice.objects.filter(client_id=case.client_id, kind=InvoiceKind.INVOICE)
                .exclude(status=InvoiceStatus.DRAFT)
                .order_by("-issue_date", "-id")[:100]
            ),
            "interest_collected": list(
                InterestCollected.objects.filter(case=case).select_related("invoice")
            ),
        }
    return CaseView(
        **extra,  # type: ignore[arg-type]
        case=case,
        rows=rows,
        owed=owed,
        interest=sum((r.interest.amount for r in rows), ZERO),
        events=list(events[:200]),
        promises=list(case.promises.filter(invoice_id__in=ids).select_related("invoice")),
        disputes=list(case.disputes.filter(invoice_id__in=ids).select_related("invoice")),
        plans=plans,
        notices=list(case.notices.all()) if staff or user.is_client_contact else [],
        route=legal_route(principal=owed, on=today),
        warnings=[
            (r.invoice, w, r.prescription.prescribed_on)
            for r in rows
            if (w := r.prescription.warning(today)) is not None
        ],
        evidence=evidence,
    )


# ---------------------------------------------------------------- queue and to-do


@dataclass(frozen=True)
class QueueRow:
    case: CollectionCase
    invoices: int
    owed: Decimal
    oldest_due: dt.date | None
    next_action_on: dt.date | None
    calls: int
    disputes: int
    held: int


def case_queue(*, on: dt.date | None = None, limit: int = 200) -> list[QueueRow]:
    """Cases with something overdue, by their next action (staff)."""
    today = on or timezone.localdate()
    overdue = Invoice.objects.filter(
        kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES, due_date__lt=today, client__isnull=False
    )
    per_client = (
        overdue.values("client_id")
        .annotate(
            owed=Sum("total") - Sum("amount_paid") - Sum("amount_written_off"),
        )
        .order_by()
    )
    figures = {r["client_id"]: r for r in per_client}
    counts: dict[int, int] = defaultdict(int)
    oldest: dict[int, dt.date] = {}
    for client_id, due in overdue.values_list("client_id", "due_date"):
        if client_id is None or due is None:
            continue
        counts[client_id] += 1
        if client_id not in oldest or due < oldest[client_id]:
            oldest[client_id] = due
    calls = dict(
        Reminder.objects.filter(status=ReminderStatus.TASK)
        .values_list("dunning__case__client_id")
        .annotate(n=Sum(1))
        .values_list("dunning__case__client_id", "n")
    )
    disputes = dict(
        Dispute.objects.filter(status=DisputeStatus.OPEN)
        .values_list("case__client_id")
        .annotate(n=Sum(1))
        .values_list("case__client_id", "n")
    )
    held = dict(
        InvoiceDunning.objects.filter(hold_position__isnull=False)
        .values_list("case__client_id")
        .annotate(n=Sum(1))
        .values_list("case__client_id", "n")
    )
    rows = []
    for case in CollectionCase.objects.filter(client_id__in=figures.keys()).select_related(
        "client"
    ):
        cid = case.client_id
        rows.append(
            QueueRow(
                case=case,
                invoices=counts[cid],
                owed=Decimal(figures[cid]["owed"] or ZERO),
                oldest_due=oldest.get(cid),
                next_action_on=case.next_action_on,
                calls=int(calls.get(cid, 0)),
                disputes=int(disputes.get(cid, 0)),
                held=int(held.get(cid, 0)),
            )
        )
    far = dt.date.max

    def order(row: QueueRow) -> tuple[int, dt.date, int]:
        urgent = 0 if (row.calls or row.disputes or row.held) else 1
        return (urgent, row.next_action_on or far, row.case.pk)

    rows.sort(key=order)
    return rows[:limit]


@dataclass(frozen=True)
class CollectionTodo:
    calls: int
    disputes: int
    holds: int
    prescriptions: list[tuple[Invoice, int, dt.date]]

    @property
    def nothing(self) -> bool:
        return not (self.calls or self.disputes or self.holds or self.prescriptions)


def collection_todo(*, today: dt.date) -> CollectionTodo:
    """What waits for staff in collection (the home page's to-do list)."""
    return CollectionTodo(
        calls=Reminder.objects.filter(status=ReminderStatus.TASK).count(),
        disputes=Dispute.objects.filter(status=DisputeStatus.OPEN).count(),
        holds=InvoiceDunning.objects.filter(hold_position__isnull=False).count(),
        prescriptions=prescription_warnings(today=today),
    )


def prescription_warnings(*, today: dt.date, limit: int = 50) -> list[tuple[Invoice, int, dt.date]]:
    """Open invoices whose prescription is 6 months away or less (or passed)."""
    years = LegalParameters.on(today).prescription_years
    from maille.collection.legal import add_months, add_years

    # A debt can prescribe within 6 months only if its due date is that old.
    horizon = add_years(add_months(today, 6), -years)
    candidates = list(
        Invoice.objects.filter(
            kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES, due_date__lte=horizon
        )
        .select_related("client")
        .order_by("due_date")[:500]
    )
    acks = latest_acknowledgements([i.pk for i in candidates])
    judicial = dict(
        CollectionCase.objects.filter(judicial_demand_on__isnull=False).values_list(
            "client_id", "judicial_demand_on"
        )
    )
    found = []
    for invoice in candidates:
        p = prescription(
            due_date=invoice.due_date or today,
            acknowledged_on=acks.get(invoice.pk),
            judicial_demand_on=judicial.get(invoice.client_id or 0),
            on=today,
        )
        warning = p.warning(today)
        if warning is not None:
            found.append((invoice, warning, p.prescribed_on))
    return found[:limit]


# ---------------------------------------------------------------- aging and DSO

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def bucket_of(days_overdue: int) -> str:
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "1-30"
    if days_overdue <= 60:
        return "31-60"
    if days_overdue <= 90:
        return "61-90"
    return "90+"


@dataclass
class AgingRow:
    key: str
    label: str
    buckets: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)


@dataclass
class Aging:
    by: str
    on: dt.date
    rows: list[AgingRow]
    totals: dict[str, Decimal]
    ledger_receivable: Decimal | None

    @property
    def total(self) -> Decimal:
        return sum(self.totals.values(), ZERO)

    @property
    def difference(self) -> Decimal | None:
        if self.ledger_receivable is None:
            return None
        return self.ledger_receivable - self.total


def aging(*, user: User, on: dt.date | None = None, by: str = "client") -> Aging:
    """Open receivables by age bucket, grouped by client, member or activity.

    Staff get the ledger's receivable beside the total: they must match (every
    issued invoice posts its total to AR; payments, credit notes and
    write-offs take it out). A member sees only their own invoices.
    """
    today = on or timezone.localdate()
    qs = invoice_list(user=user).filter(
        kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES, client__isnull=False
    )
    qs = with_credited(qs)
    fields = {
        "client": ("client_id", "client__legal_name"),
        "member": ("member_id", "member__number"),
        "activity": ("activity_id", "activity__code"),
    }
    key_field, label_field = fields.get(by, fields["client"])
    rows: dict[str, AgingRow] = {}
    totals = dict.fromkeys(BUCKETS, ZERO)
    for values in qs.values_list(
        key_field,
        label_field,
        "due_date",
        "total",
        "amount_paid",
        "amount_written_off",
        "credited_total",
    ).order_by():
        key, label, due, total, paid, written_off, credited = values
        owed = Decimal(total) - Decimal(paid) - Decimal(written_off) - Decimal(credited or 0)
        if owed <= 0:
            continue
        bucket = bucket_of((today - due).days if due else 0)
        row = rows.setdefault(
            str(key), AgingRow(str(key), str(label or "—"), dict.fromkeys(BUCKETS, ZERO))
        )
        row.buckets[bucket] += owed
        totals[bucket] += owed
    ledger = None
    if user.is_staff:
        from maille.ledger import accounts
        from maille.ledger.selectors import balance

        ledger = balance(account=accounts.AR)
    ordered = sorted(rows.values(), key=lambda r: (-r.total, r.label))
    return Aging(by=by, on=today, rows=ordered, totals=totals, ledger_receivable=ledger)


@dataclass(frozen=True)
class DsoPoint:
    month_end: dt.date
    receivable: Decimal
    sales: Decimal
    dso: Decimal | None


def dso_series(*, months: int = 12, on: dt.date | None = None) -> list[DsoPoint]:
    """Days sales outstanding at each month's end: receivable / sales of the last 90 days × 90.

    The receivable is the ledger's AR at that date; sales are the issued
    invoices' totals (credit notes off) dated in the 90 days up to it.
    """
    from maille.collection.legal import add_months
    from maille.ledger import accounts
    from maille.ledger.selectors import balance

    today = on or timezone.localdate()
    points = []
    first_of_month = today.replace(day=1)
    for back in range(months - 1, -1, -1):
        start = add_months(first_of_month, -back)
        end = min(add_months(start, 1) - dt.timedelta(days=1), today)
        receivable = balance(account=accounts.AR, as_of=end)
        window = Invoice.objects.filter(
            issue_date__gt=end - dt.timedelta(days=90), issue_date__lte=end
        ).exclude(status=InvoiceStatus.DRAFT)
        sales = Decimal(
            window.filter(kind=InvoiceKind.INVOICE).aggregate(s=Sum("total"))["s"] or 0
        ) - Decimal(window.filter(kind=InvoiceKind.CREDIT_NOTE).aggregate(s=Sum("total"))["s"] or 0)
        dso = (receivable / sales * 90).quantize(Decimal("0.1")) if sales > 0 else None
        points.append(DsoPoint(end, receivable, sales, dso))
    return points


def member_overdue(*, user: User) -> list[tuple[Invoice, InvoiceDunning | None]]:
    """The member's overdue invoices with their progress through the steps."""
    today = timezone.localdate()
    invoices = list(
        invoice_list(user=user)
        .filter(
            Q(kind=InvoiceKind.INVOICE),
            status__in=OPEN_STATUSES,
            due_date__lt=today,
            client__isnull=False,
        )
        .order_by("due_date", "id")[:200]
    )
    dunnings = {
        d.invoice_id: d
        for d in InvoiceDunning.objects.filter(invoice_id__in=[i.pk for i in invoices])
    }
    return [(i, dunnings.get(i.pk)) for i in invoices]


def member_disputes(*, user: User) -> list[Dispute]:
    ids = invoice_list(user=user).values("pk")
    return list(
        Dispute.objects.filter(invoice_id__in=ids, status=DisputeStatus.OPEN).select_related(
            "invoice", "case__client"
        )
    )


def plan_is_active(case: CollectionCase) -> bool:
    return case.plans.filter(status=PlanStatus.ACTIVE).exists()


def daily_run_time() -> dt.time:
    """The collection run's time of day: the policy in force's (9:00 without one)."""
    policy = DunningPolicy.on(timezone.localdate())
    return policy.run_at if policy else dt.time(9, 0)
