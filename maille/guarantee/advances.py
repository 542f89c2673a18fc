"""Advances: which invoices the fund advances, when their salary is due, and the
postings that advance, settle or claw back (ARCHITECTURE §3; see ``services``'
docstring for the posting table).

``World`` loads in a few grouped queries what eligibility needs for many
invoices at once: the issuing hook uses it for one batch, the daily job
(``job``) for every open invoice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.bulk import bulk_insert
from maille.core.models import User
from maille.core.money import ZERO
from maille.guarantee import rules
from maille.guarantee.models import (
    Advance,
    GuaranteePolicy,
    InvoiceDispute,
    PayKind,
    SignedContract,
)
from maille.guarantee.selectors import (
    MEMO_ADVANCE,
    MEMO_CLAWBACK,
    MEMO_LOSS,
    MEMO_SETTLEMENT,
    FundFigures,
    Position,
    advances_paused,
    cents,
    excluded_clients,
    fund_figures,
    limits_of,
    positions,
)
from maille.invoicing.models import (
    OPEN_STATUSES,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
)
from maille.ledger import accounts
from maille.ledger.services import EntrySpec, LineSpec, entries_post_many
from maille.members.models import FUND_ACTIVITY_CODE, Activity
from maille.payroll import calendar
from maille.payroll.exceptions import PayrollError
from maille.payroll.models import Payslip


class PayDates:
    """When an advance's salary is paid: the first regular pay date within the delay
    whose salary requests are still open on the advance's start date (the payroll
    calendar's cut-off), else an off-cycle pay on the last bank business day of the
    delay (reference §6)."""

    def __init__(self) -> None:
        self._holidays: dict[int, frozenset[dt.date]] = {}
        self._regular: dict[int, list[calendar.PayPeriod]] = {}
        # Many invoices share an issue date: each (start, delay) is counted once.
        self._known: dict[tuple[dt.date, int], tuple[dt.date, str]] = {}

    def _regular_periods(self, year: int) -> list[calendar.PayPeriod]:
        if year not in self._regular:
            try:
                self._regular[year] = calendar.pay_periods(year)
            except PayrollError:
                self._regular[year] = []
        return self._regular[year]

    def of(self, start: dt.date, delay: int) -> tuple[dt.date, str]:
        key = (start, delay)
        if key not in self._known:
            self._known[key] = self._count(start, delay)
        return self._known[key]

    def _count(self, start: dt.date, delay: int) -> tuple[dt.date, str]:
        deadline = calendar.add_working_days(start, delay, self._holidays)
        closed: set[dt.date] = set()
        for year in sorted({start.year, deadline.year}):
            for period in self._regular_periods(year):
                if not start < period.pay_date <= deadline:
                    continue
                # Requests for a regular pay close at its cut-off: one whose cut-off
                # passed before the start cannot keep the promise.
                if start <= period.cutoff:
                    return period.pay_date, PayKind.REGULAR
                closed.add(period.pay_date)
        day = calendar.previous_business_day(deadline)
        # An off-cycle pay cannot fall on a regular date (a short delay may end on
        # one whose requests closed): the business day before it, if not past.
        while day in closed:
            earlier = calendar.previous_business_day(day - dt.timedelta(days=1))
            if earlier < start:
                break
            day = earlier
        return day, PayKind.OFF_CYCLE


# --- Advances ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    invoice_id: int
    number: str
    activity_id: int
    client_id: int
    member_id: int | None
    start: dt.date
    amount: Decimal


def advance_specs(
    candidates: Sequence[Candidate],
    *,
    on: dt.date | None,
    policy: GuaranteePolicy,
    pay_dates: PayDates,
) -> tuple[list[Advance], list[EntrySpec]]:
    fund = Activity.objects.get(code=FUND_ACTIVITY_CODE)
    activities = Activity.objects.in_bulk({c.activity_id for c in candidates})
    rows = []
    for c in candidates:
        pay_by, kind = pay_dates.of(c.start, policy.delay_working_days)
        rows.append(
            {
                "invoice_id": c.invoice_id,
                "activity_id": c.activity_id,
                "client_id": c.client_id,
                "member_id_snapshot": c.member_id,
                "advanced_on": on or c.start,
                "share": policy.advance_share,
                "amount": c.amount,
                "pay_by": pay_by,
                "pay_kind": kind,
            }
        )
    advances = bulk_insert(Advance, rows)
    if any(a.pk is None for a in advances):  # SQLite before 3.35 returns no ids
        ids = dict(
            Advance.objects.filter(invoice_id__in=[c.invoice_id for c in candidates]).values_list(
                "invoice_id", "pk"
            )
        )
        for a in advances:
            a.pk = ids[a.invoice_id]
    describe = _("Guarantee advance on invoice %(n)s")  # translated once, not per advance
    specs = [
        EntrySpec(
            date=a.advanced_on,
            description=(describe % {"n": c.number})[:200],
            lines=[
                LineSpec(accounts.GUARANTEE_ADVANCES, fund, a.amount, MEMO_ADVANCE),
                LineSpec(
                    accounts.GUARANTEED_BUDGET, activities[c.activity_id], -a.amount, MEMO_ADVANCE
                ),
            ],
            idempotency_key=f"guarantee:{c.number}:advance",
            source=a,
        )
        for a, c in zip(advances, candidates, strict=True)
    ]
    return advances, specs


def salaries_paid(payslips: Sequence[Payslip]) -> None:
    """The payroll hook: the advances of these payslips' activities waiting for
    their salary, advanced on or before the pay date, were paid that day."""
    by_date: dict[dt.date, set[int]] = defaultdict(set)
    for payslip in payslips:
        by_date[payslip.pay_date].add(payslip.activity_id)
    for pay_date, activity_ids in sorted(by_date.items()):
        Advance.objects.filter(
            activity_id__in=activity_ids, salary_paid_on__isnull=True, advanced_on__lte=pay_date
        ).update(salary_paid_on=pay_date)


def advance_at_issue(invoices: Sequence[Invoice], acting_user: User | None) -> None:
    """The issuing hook: advance each eligible invoice in the issuing transaction.

    No query for an invoice without an accepted quote (most of a batch).
    """
    backed = [
        i
        for i in invoices
        if i.has_accepted_quote and i.kind == InvoiceKind.INVOICE and i.client_id is not None
    ]
    if not backed:
        return
    on = backed[0].issue_date or timezone.localdate()
    policy = GuaranteePolicy.in_force(on)
    if policy is None:
        return
    world = World.load(on, invoice_ids=[i.pk for i in backed])
    candidates = []
    for invoice in backed:
        candidate = world.candidate(invoice.pk, policy)
        if candidate is not None:
            candidates.append(candidate)
            world.take(candidate)
    if not candidates:
        return
    _advances, specs = advance_specs(candidates, on=None, policy=policy, pay_dates=PayDates())
    entries_post_many(entries=specs, acting_user=acting_user, savepoint=False)


@dataclass
class InvoiceRow:
    pk: int
    number: str
    status: str
    kind: str
    client_id: int | None
    member_id: int | None
    activity_id: int
    subtotal: Decimal
    contribution: Decimal
    total: Decimal
    paid: Decimal
    issue_date: dt.date
    has_accepted_quote: bool
    #: the invoice's advance, open or closed (a closed one is never reopened)
    advance_id: int | None = None


class World:
    """What eligibility and the job need to know, loaded in a few grouped queries."""

    FIELDS = (
        "pk",
        "number",
        "status",
        "kind",
        "client_id",
        "member_id",
        "activity_id",
        "subtotal",
        "contribution",
        "total",
        "amount_paid",
        "issue_date",
        "has_accepted_quote",
        "guarantee_advance__id",
    )

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self.invoices: dict[int, InvoiceRow] = {}
        self.credits: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
        self.signed: set[int] = set()
        self.disputed: set[int] = set()
        self.excluded: dict[int, str] = {}
        self.advances: dict[int, dict[str, Any]] = {}  # by invoice id
        self.positions: dict[int, Position] = {}
        self.by_client: dict[int, Decimal] = defaultdict(lambda: ZERO)
        self.by_member: dict[int, Decimal] = defaultdict(lambda: ZERO)
        self.figures: FundFigures | None = None

    @classmethod
    def load(cls, on: dt.date, invoice_ids: list[int] | None = None) -> World:
        world = cls(on)
        qs = Invoice.objects.filter(kind=InvoiceKind.INVOICE, client__isnull=False)
        if invoice_ids is not None:
            qs = qs.filter(pk__in=invoice_ids)
        else:
            qs = qs.filter(
                Q(status__in=OPEN_STATUSES, issue_date__lte=on) | Q(guarantee_advance__closed=False)
            )
        for row in qs.values_list(*cls.FIELDS).iterator(chunk_size=10_000):
            r = InvoiceRow(*row)
            world.invoices[r.pk] = r
        world.credits = {
            corrects_id: (cents(s), cents(c), cents(t))
            for corrects_id, s, c, t in Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE)
            .exclude(status=InvoiceStatus.DRAFT)
            .values_list("corrects_id")
            .annotate(s=Sum("subtotal"), c=Sum("contribution"), t=Sum("total"))
            .values_list("corrects_id", "s", "c", "t")
        }
        world.signed = set(
            SignedContract.objects.filter(signed_on__lte=on).values_list("invoice_id", flat=True)
        )
        world.disputed = set(
            InvoiceDispute.objects.filter(closed_on__isnull=True).values_list(
                "invoice_id", flat=True
            )
        )
        world.excluded = excluded_clients(on)
        for row in Advance.objects.filter(closed=False).values(
            "pk", "invoice_id", "amount", "share", "client_id", "member_id_snapshot", "adjustments"
        ):
            world.advances[row["invoice_id"]] = dict(row)
        world.positions = positions()
        for row in world.advances.values():
            outstanding = world.positions.get(row["pk"], Position()).outstanding
            world.by_client[row["client_id"]] += outstanding
            if row["member_id_snapshot"] is not None:
                world.by_member[row["member_id_snapshot"]] += outstanding
        world.figures = fund_figures(on)
        return world

    def effective(self, r: InvoiceRow) -> tuple[Decimal, Decimal, Decimal]:
        cs, cc, ct = self.credits.get(r.pk, (ZERO, ZERO, ZERO))
        return r.subtotal - cs, r.contribution - cc, r.total - ct

    def reasons(self, r: InvoiceRow, policy: GuaranteePolicy | None) -> list[rules.Reason]:
        subtotal, contribution, _total = self.effective(r)
        facts = rules.InvoiceFacts(
            is_invoice=r.kind == InvoiceKind.INVOICE,
            is_internal=r.client_id is None,
            accepted=r.has_accepted_quote or r.pk in self.signed,
            client_excluded=self.excluded.get(r.client_id or 0),
            disputed=r.pk in self.disputed,
            subtotal=subtotal,
            contribution=contribution,
            client_exposure=self.by_client.get(r.client_id or 0, ZERO),
            member_exposure=self.by_member.get(r.member_id or 0, ZERO),
        )
        return rules.reasons(facts, limits_of(policy))

    def candidate(
        self, invoice_id: int, policy: GuaranteePolicy, *, reasons_checked: bool = False
    ) -> Candidate | None:
        """The advance this invoice gets now, if any; ``reasons_checked``: the caller
        has just found no reason against it (the daily job: not asked twice)."""
        r = self.invoices.get(invoice_id)
        if r is None or invoice_id in self.advances or r.status not in OPEN_STATUSES:
            return None
        if not reasons_checked and self.reasons(r, policy):
            return None
        subtotal, contribution, _total = self.effective(r)
        amount = rules.advance_amount(
            subtotal=subtotal, contribution=contribution, share=policy.advance_share
        )
        if self.figures is not None and advances_paused(policy, self.figures, amount):
            return None
        if r.client_id is None:
            return None
        return Candidate(
            invoice_id=r.pk,
            number=r.number,
            activity_id=r.activity_id,
            client_id=r.client_id,
            member_id=r.member_id,
            start=max(r.issue_date, self.on)
            if r.pk in self.signed and not r.has_accepted_quote
            else r.issue_date,
            amount=amount,
        )

    def take(self, c: Candidate) -> None:
        """Count an advance just decided in the exposures (limits and the coverage pause)."""
        self.by_client[c.client_id] += c.amount
        if c.member_id is not None:
            self.by_member[c.member_id] += c.amount
        if self.figures is not None:
            f = self.figures
            self.figures = FundFigures(
                on=f.on,
                balance=f.balance,
                exposure=f.exposure + c.amount,
                losses_this_year=f.losses_this_year,
                losses_by_year=f.losses_by_year,
                contributions=f.contributions,
            )


def adjustment_spec(
    advance: Advance | dict[str, Any],
    number: str,
    on: dt.date,
    amount: Decimal,
    memo: str,
    key: str,
    *,
    fund: Activity | None = None,
    activity: Activity | None = None,
) -> EntrySpec:
    """Move ``amount`` on the advance: negative settles/claws back, positive re-advances."""
    if isinstance(advance, Advance):
        source: Any = advance
        fund = fund or Activity.objects.get(code=FUND_ACTIVITY_CODE)
        activity = activity or advance.activity
    else:
        source = Advance(pk=advance["pk"])
        if fund is None or activity is None:
            raise RuntimeError("fund and activity are needed for an advance given as a row")
    labels = {
        MEMO_SETTLEMENT: _("Guarantee advance settled by the client's payment, invoice %(n)s"),
        MEMO_CLAWBACK: _("Guarantee advance clawed back after a credit note, invoice %(n)s"),
        MEMO_LOSS: _("Guarantee advance borne by the fund, invoice %(n)s"),
    }
    return EntrySpec(
        date=on,
        description=(labels[memo] % {"n": number})[:200],
        lines=[
            LineSpec(accounts.GUARANTEE_ADVANCES, fund, amount, memo),
            LineSpec(accounts.GUARANTEED_BUDGET, activity, -amount, memo),
        ],
        idempotency_key=key,
        source=source,
    )
