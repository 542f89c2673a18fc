"""Reads of the guarantee fund: figures as sums over ledger lines, positions, eligibility
(client risk and the stress simulation: ``risk``).

The fund's figures (ARCHITECTURE §3), all read from ledger lines, never stored:

- **balance**: the fund's own result — the contributions' share it received
  and its reserve, less its losses: minus the sum of the lines on ``FONDS``
  over revenue, expense and equity accounts;
- **advances outstanding** = **exposure**: the sum of ``GUARANTEE_ADVANCES``
  lines on ``FONDS`` — the guarantee-covered revenue (the members' share of
  it) not yet collected: what the fund would lose if no client paid;
- **coverage ratio** = balance / exposure (none when nothing is exposed);
- **losses**: the ``BAD_DEBTS`` lines on ``FONDS``, by year.

Members see these figures without any client or member name; staff see
the advances one by one. The board (directors) sees the stress simulation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from maille.clients.models import Client
from maille.clients.selectors import client_list
from maille.core.models import User
from maille.core.money import ZERO, round_half_up
from maille.guarantee import rules
from maille.guarantee.models import (
    Advance,
    ClientExclusion,
    GuaranteePolicy,
    InvoiceDispute,
    Loss,
    PayKind,
    SignedContract,
)
from maille.invoicing.models import (
    ContributionPolicy,
    Invoice,
    InvoiceKind,
)
from maille.ledger import accounts
from maille.ledger.models import Account, Balance, JournalLine
from maille.members.models import FUND_ACTIVITY_CODE, Activity
from maille.members.selectors import is_director
from maille.payroll.models import RequestStatus, SalaryRequest


def cents(value: Decimal | None) -> Decimal:
    """A sum read from the database (None when there was no row), to the cent."""
    return round_half_up(Decimal(value or 0))


def fund_activity() -> Activity:
    return Activity.objects.get(code=FUND_ACTIVITY_CODE)


# --- The fund's figures --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FundFigures:
    on: dt.date
    balance: Decimal
    exposure: Decimal
    losses_this_year: Decimal
    losses_by_year: dict[int, Decimal]
    contributions: Decimal

    @property
    def advances_outstanding(self) -> Decimal:
        return self.exposure

    @property
    def coverage(self) -> Decimal | None:
        if self.exposure <= 0:
            return None
        return (self.balance / self.exposure).quantize(Decimal("0.001"))


PAUSED_MESSAGE = gettext_lazy(
    "New advances are paused: the fund's coverage ratio is below the policy's floor."
)


def advances_paused(policy: GuaranteePolicy | None, figures: FundFigures, amount: Decimal) -> bool:
    """New advances pause when the coverage ratio, with this advance, is under the floor."""
    if policy is None or policy.coverage_floor <= 0:
        return False
    exposure = figures.exposure + amount
    if exposure <= 0:
        return False
    return figures.balance / exposure < policy.coverage_floor


def contribution_estimate(subtotal: Decimal, on: dt.date) -> Decimal:
    """The contribution a draft's subtotal would bear if issued on ``on`` (one rule)."""
    policy = ContributionPolicy.on(on)
    if policy is None:
        return ZERO
    return policy.contribution_on(subtotal)[0]


def fund_lines(on: dt.date | None) -> QuerySet[JournalLine]:
    qs = JournalLine.objects.filter(activity__code=FUND_ACTIVITY_CODE)
    if on is not None:
        qs = qs.filter(date__lte=on)
    return qs


def _fund_months(on: dt.date) -> dict[tuple[dt.date, str], Decimal]:
    """The fund's movements by (month, account code) up to ``on``.

    Read from the ledger's monthly running balances (``ledger.Balance``, kept
    with every posting and rebuilt and checked against the lines by the
    ledger's tests), so the page reads a few hundred rows whatever the number
    of invoices; the month of ``on`` is read from the lines when some of its
    lines fall after ``on``.
    """
    fund = Activity.objects.filter(code=FUND_ACTIVITY_CODE).values_list("pk", flat=True).first()
    if fund is None:
        return {}
    month = on.replace(day=1)
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    partial = JournalLine.objects.filter(
        activity_id=fund, date__gt=on, date__lt=next_month
    ).exists()
    balances = Balance.objects.filter(activity_id=fund)
    balances = balances.filter(month__lt=month) if partial else balances.filter(month__lte=month)
    found: dict[tuple[dt.date, str], Decimal] = defaultdict(lambda: ZERO)
    for day, code, amount in balances.values_list("month", "account__code", "amount"):
        found[(day, code)] += cents(amount)
    if partial:
        for code, total in (
            JournalLine.objects.filter(activity_id=fund, date__gte=month, date__lte=on)
            .values_list("account__code")
            .annotate(total=Sum("amount"))
            .values_list("account__code", "total")
        ):
            found[(month, code)] += cents(total)
    return found


def _result_codes() -> set[str]:
    return set(
        Account.objects.filter(type__in=("revenue", "expense", "equity")).values_list(
            "code", flat=True
        )
    )


def fund_figures(on: dt.date | None = None) -> FundFigures:
    """The fund's balance, exposure and losses on ``on`` (today), from ledger lines."""
    day = on or timezone.localdate()
    moves = _fund_months(day)
    result_codes = _result_codes()
    result = exposure = contributions = ZERO
    losses: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (month, code), amount in moves.items():
        if code in result_codes:
            result += amount
        if code == accounts.GUARANTEE_ADVANCES:
            exposure += amount
        elif code == accounts.CONTRIBUTION_INCOME:
            contributions += amount
        elif code == accounts.BAD_DEBTS:
            losses[month.year] += amount
    return FundFigures(
        on=day,
        balance=-result,
        exposure=exposure,
        losses_this_year=losses.get(day.year, ZERO),
        losses_by_year={y: v for y, v in sorted(losses.items()) if v},
        contributions=-contributions,
    )


@dataclass(frozen=True, slots=True)
class MonthPoint:
    month: dt.date
    balance: Decimal
    exposure: Decimal
    losses: Decimal


def fund_history(months: int = 24, on: dt.date | None = None) -> list[MonthPoint]:
    """Month-end balance, exposure and the month's losses, over the last ``months``."""
    day = on or timezone.localdate()
    moves = _fund_months(day)
    result_codes = _result_codes()
    by_month: dict[dt.date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for (month, code), amount in moves.items():
        by_month[month][code] += amount
    points: list[MonthPoint] = []
    balance = exposure = ZERO
    start = (day.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    for month in sorted(by_month):
        codes = by_month[month]
        balance -= sum((v for c, v in codes.items() if c in result_codes), ZERO)
        exposure += codes.get(accounts.GUARANTEE_ADVANCES, ZERO)
        if month >= start:
            points.append(MonthPoint(month, balance, exposure, codes.get(accounts.BAD_DEBTS, ZERO)))
    return points


def average_delay_days(on: dt.date | None = None) -> Decimal | None:
    """Average calendar days between an advanced invoice's issue date and the salary
    actually paid (``Advance.salary_paid_on``: the activity's first payslip posted
    on or after the advance). Advances not paid yet are left out; None when none is.
    """
    day = on or timezone.localdate()
    result = Advance.objects.filter(salary_paid_on__lte=day).aggregate(
        delay=Avg(F("salary_paid_on") - F("invoice__issue_date"))
    )
    delay = result["delay"]
    if delay is None:
        return None
    # PostgreSQL answers an interval; SQLite the average in microseconds.
    micro = delay // dt.timedelta(microseconds=1) if isinstance(delay, dt.timedelta) else delay
    return (Decimal(micro) / Decimal(86_400_000_000)).quantize(Decimal("0.1"))


# --- Advances as the ledger tells them ---------------------------------------------


@dataclass(slots=True)
class Position:
    """An advance's movements on the fund, by kind (a line's memo)."""

    advanced: Decimal = ZERO
    clawed_back: Decimal = ZERO
    settled: Decimal = ZERO
    absorbed: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        return self.advanced - self.clawed_back - self.settled - self.absorbed


MEMO_ADVANCE = "advance"
MEMO_CLAWBACK = "clawback"
MEMO_SETTLEMENT = "settlement"
MEMO_LOSS = "loss"


def positions(advance_ids: Iterable[int] | None = None) -> dict[int, Position]:
    """Per advance id, its movements on ``GUARANTEE_ADVANCES`` [FONDS] (one query)."""
    qs = JournalLine.objects.filter(
        account__code=accounts.GUARANTEE_ADVANCES,
        activity__code=FUND_ACTIVITY_CODE,
        entry__source_type=ContentType.objects.get_for_model(Advance),
    )
    if advance_ids is not None:
        qs = qs.filter(entry__source_id__in=list(advance_ids))
    found: dict[int, Position] = defaultdict(Position)
    for source_id, memo, total in (
        qs.values_list("entry__source_id", "memo").annotate(total=Sum("amount")).order_by()
    ):
        p = found[source_id]
        amount = cents(total)
        if memo == MEMO_ADVANCE:
            p.advanced += amount
        elif memo == MEMO_CLAWBACK:
            p.clawed_back -= amount
        elif memo == MEMO_SETTLEMENT:
            p.settled -= amount
        else:
            p.absorbed -= amount
    return dict(found)


def exposures(on: dt.date | None = None) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """The fund's outstanding advances per client id and per member id."""
    open_advances = dict(
        (pk, (client_id, member_id))
        for pk, client_id, member_id in Advance.objects.filter(closed=False).values_list(
            "pk", "client_id", "member_id_snapshot"
        )
    )
    by_client: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_member: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for pk, position in positions().items():
        if pk not in open_advances:
            continue
        client_id, member_id = open_advances[pk]
        by_client[client_id] += position.outstanding
        if member_id is not None:
            by_member[member_id] += position.outstanding
    return dict(by_client), dict(by_member)


# --- Eligibility ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Eligibility:
    covered: bool
    reasons: list[rules.Reason]
    amount: Decimal  #: what would be (or was) advanced
    advance: Advance | None = None
    paused: bool = False
    outstanding: Decimal = ZERO
    pay_by: dt.date | None = None
    notes: list[str] = field(default_factory=list)


def excluded_clients(on: dt.date) -> dict[int, str]:
    return dict(
        ClientExclusion.objects.filter(excluded_on__lte=on)
        .filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=on))
        .values_list("client_id", "reason")
    )


def limits_of(policy: GuaranteePolicy | None) -> rules.Limits | None:
    if policy is None:
        return None
    return rules.Limits(
        share=policy.advance_share,
        client_limit=policy.client_limit,
        member_limit=policy.member_limit,
    )


def invoice_eligibility(invoice: Invoice, on: dt.date | None = None) -> Eligibility:
    """Is this invoice (issued or draft) covered, and why not (every reason)."""

    day = on or timezone.localdate()
    policy = GuaranteePolicy.in_force(day)
    advance = Advance.objects.filter(invoice=invoice).first()
    if advance is not None:
        position = positions([advance.pk]).get(advance.pk, Position())
        return Eligibility(
            covered=True,
            reasons=[],
            amount=advance.amount,
            advance=advance,
            outstanding=position.outstanding,
            pay_by=advance.pay_by,
        )
    by_client, by_member = exposures(day)
    accepted = bool(invoice.has_accepted_quote) or (
        invoice.is_draft and invoice.quote is not None and invoice.quote.status == "accepted"
    )
    if not accepted and invoice.pk and not invoice.is_draft:
        accepted = SignedContract.objects.filter(invoice=invoice, signed_on__lte=day).exists()
    subtotal, contribution = invoice.subtotal, invoice.contribution
    if invoice.is_draft:
        subtotal = sum((line.amount for line in invoice.lines.all()), ZERO)
        contribution = contribution_estimate(subtotal, day)
    facts = rules.InvoiceFacts(
        is_invoice=invoice.kind == InvoiceKind.INVOICE,
        is_internal=invoice.client_id is None,
        accepted=accepted,
        client_excluded=excluded_clients(day).get(invoice.client_id or 0),
        disputed=invoice.pk is not None
        and InvoiceDispute.objects.filter(invoice=invoice, closed_on__isnull=True).exists(),
        subtotal=subtotal,
        contribution=contribution,
        client_exposure=by_client.get(invoice.client_id or 0, ZERO),
        member_exposure=by_member.get(invoice.member_id or 0, ZERO),
    )
    limits = limits_of(policy)
    found = rules.reasons(facts, limits)
    amount = (
        rules.advance_amount(subtotal=subtotal, contribution=contribution, share=limits.share)
        if limits
        else ZERO
    )
    paused = not found and advances_paused(policy, fund_figures(day), amount)
    notes = []
    if paused:
        notes.append(str(PAUSED_MESSAGE))
    return Eligibility(covered=not found, reasons=found, amount=amount, paused=paused, notes=notes)


# --- Scoped lists --------------------------------------------------------------------


def advance_list(*, user: User) -> QuerySet[Advance]:
    qs = Advance.objects.select_related("invoice", "activity", "client").order_by(
        "-advanced_on", "-pk"
    )
    if user.is_staff:
        return qs
    if user.is_member:
        return qs.filter(activity__owners__user=user).distinct()
    return qs.none()


def loss_list(*, user: User) -> QuerySet[Loss]:
    qs = Loss.objects.select_related("invoice", "invoice__activity").order_by("-on", "-pk")
    if user.is_staff:
        return qs
    if user.is_member:
        return qs.filter(invoice__activity__owners__user=user).distinct()
    return qs.none()


def exclusion_list(*, user: User) -> QuerySet[ClientExclusion]:
    if not user.is_staff:
        return ClientExclusion.objects.none()
    return ClientExclusion.objects.select_related("client").order_by("-excluded_on", "-pk")


def may_see_fund(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_member))


def may_simulate(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_staff or is_director(user)))


def client_visible(*, user: User, pk: int) -> Client:
    """A client the person may see the risk of: staff any; a member, the clients they work with."""
    return get_object_or_404(client_list(user=user), pk=pk)


# --- Off-cycle pays the guarantee promised ---------------------------------------------


@dataclass(frozen=True, slots=True)
class OffCycleDue:
    """The advances whose salary is owed by an off-cycle pay on ``pay_by``."""

    pay_by: dt.date
    advances: int
    without_request: int  #: of which no salary request of the activity is there yet


def off_cycle_pays_due(*, today: dt.date) -> list[OffCycleDue]:
    """Off-cycle pay dates to come that advances promised (no regular pay date the
    member could still ask for fell within the delay), with how many still have no
    salary request: staff prepare those runs and remind those members (issue 13:
    paid within the delay)."""
    requested = Exists(
        SalaryRequest.objects.filter(
            activity_id=OuterRef("activity_id"),
            pay_date__gte=OuterRef("advanced_on"),
            pay_date__lte=OuterRef("pay_by"),
            status__in=[RequestStatus.APPROVED, RequestStatus.PAID],
        )
    )
    rows = (
        Advance.objects.filter(pay_kind=PayKind.OFF_CYCLE, pay_by__gte=today)
        .annotate(requested=requested)
        .values("pay_by")
        .annotate(n=Count("pk"), without=Count("pk", filter=Q(requested=False)))
        .order_by("pay_by")
    )
    return [OffCycleDue(r["pay_by"], r["n"], r["without"]) for r in rows]
