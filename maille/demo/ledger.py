"""Demo ledger data: a few months of a small co-op's books, and a large
deterministic journal for the synthetic activities (``maille demo --ledger-months``).

Synthetic books for the ledger pages and benchmarks, not documents: no
invoice or payslip stands behind them. Their amounts still come from the
co-op's single sources, so the books read like real ones:

- the invoice's taxes from the dated sales-tax rates (``taxes.compute``, a
  client in Québec) on its accounts (``postings.tax_accounts``);
- the mutualized contribution and the guarantee fund's share from the
  contribution policy in force (``ContributionPolicy.contribution_on``);
- the month's pay from the payroll engine (``calculate``): the member draws
  ``PAY_SHARE`` of the month's budget as gross pay, and the engine gives the
  deductions and employer contributions (no vacation accrual). Its split on
  five accounts is a summary of ARCHITECTURE §3, not the payslip posting
  (``payroll.services.payslip_entry`` posts a saved payslip, with its
  year-end and vacation accounts): real pay belongs to the pay-run demo.

Everything is posted through the ledger's bulk service, so the demo books
obey every rule of the real ones; keys are derived from the seed and the
activity, so running a generator twice posts nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import cache

from maille.core.models import User
from maille.core.money import round_half_up
from maille.invoicing.models import ContributionPolicy
from maille.invoicing.postings import tax_accounts
from maille.ledger import accounts as acc
from maille.ledger.models import JournalEntry
from maille.ledger.services import EntrySpec, LineSpec, entries_post_many
from maille.members.models import (
    COOP_ACTIVITY_CODE,
    FUND_ACTIVITY_CODE,
    Activity,
    ActivityKind,
)
from maille.members.selectors import coop_activities
from maille.payroll.engine import PayInput, PayResult, calculate, load_params
from maille.payroll.simulator import simulation_year
from maille.taxes import sales as taxes

#: The share of a month's budget (invoiced less the contribution) a member
#: draws as gross pay in the synthetic books: a member's choice, not a rate.
PAY_SHARE = Decimal("0.6")


def _month_start(start: dt.date, months: int) -> dt.date:
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


@cache
def _monthly_pay(gross: Decimal, year: int) -> PayResult:
    """The engine's pay for one monthly gross (many months share a gross: cached)."""
    params = load_params(simulation_year(dt.date(year, 12, 31)))
    return calculate(PayInput(periods_per_year=12, gross=gross, vacation_rate=Decimal(0)), params)


def _policy_on(day: dt.date) -> ContributionPolicy:
    policy = ContributionPolicy.on(day)
    if policy is None:
        raise ValueError(f"no contribution policy in force on {day}")
    return policy


def activity_month(
    *,
    activity: Activity,
    coop: Activity,
    fonds: Activity,
    month: dt.date,
    net: Decimal,
    key: str,
    policy: ContributionPolicy,
) -> Iterator[EntrySpec]:
    """One month of an activity: an invoice to a Québec client, the
    contribution, the payment, a salary and its deductions (ARCHITECTURE §3)."""
    label = f"{activity.code} {month:%Y-%m}"
    issued = month + dt.timedelta(days=4)
    paid = month + dt.timedelta(days=19)
    sales_taxes = taxes.compute(lines=[taxes.TaxLine(net)], on=issued, province="QC")
    total = sales_taxes.total
    contribution, fund = policy.contribution_on(net)
    codes = tax_accounts()
    yield EntrySpec(
        issued,
        f"Facture {label}",
        [
            LineSpec(acc.AR, activity, total),
            LineSpec(acc.REVENUE, activity, -net),
            *(LineSpec(codes[t.code], activity, -t.amount) for t in sales_taxes.taxes),
        ],
        f"{key}:invoice",
    )
    yield EntrySpec(
        issued,
        f"Contribution mutualisée {label}",
        [
            LineSpec(acc.CONTRIBUTION_EXPENSE, activity, contribution),
            LineSpec(acc.CONTRIBUTION_INCOME, coop, -(contribution - fund)),
            LineSpec(acc.CONTRIBUTION_INCOME, fonds, -fund),
        ],
        f"{key}:contribution",
    )
    yield EntrySpec(
        paid,
        f"Paiement {label}",
        [LineSpec(acc.BANK, activity, total), LineSpec(acc.AR, activity, -total)],
        f"{key}:payment",
    )
    payday = _month_start(month, 1) - dt.timedelta(days=1)
    pay = _monthly_pay(round_half_up((net - contribution) * PAY_SHARE), payday.year)
    employer = pay.employer.total
    federal = pay.federal_tax + pay.ei + pay.employer.ei
    quebec = pay.quebec_tax + pay.qpp + pay.qpp2 + pay.qpip + employer - pay.employer.ei
    yield EntrySpec(
        payday,
        f"Paie {payday:%Y-%m}",
        [
            LineSpec(acc.SALARIES, activity, pay.gross),
            LineSpec(acc.EMPLOYER_CONTRIBUTIONS, activity, employer),
            LineSpec(acc.FEDERAL_DEDUCTIONS_PAYABLE, activity, -federal),
            LineSpec(acc.QUEBEC_DEDUCTIONS_PAYABLE, activity, -quebec),
            LineSpec(acc.NET_PAY_PAYABLE, activity, -pay.net),
        ],
        f"{key}:payrun",
    )


def _books(
    activities: Iterable[Activity],
    *,
    start: dt.date,
    months: int,
    rng: random.Random,
    invoiced: tuple[int, int],
    key: str,
) -> list[EntrySpec]:
    """``months`` months of books from ``start`` for each activity, the month's invoice
    between ``invoiced`` dollars; idempotency keys ``<key>:<activity>:<month>:…``."""
    special = coop_activities()
    coop, fonds = special[COOP_ACTIVITY_CODE], special[FUND_ACTIVITY_CODE]
    policies = {
        month: _policy_on(month) for month in (_month_start(start, m) for m in range(months))
    }
    specs: list[EntrySpec] = []
    for activity in activities:
        for month, policy in policies.items():
            net = Decimal(rng.randint(*invoiced) * 100) / 100
            specs += activity_month(
                activity=activity,
                coop=coop,
                fonds=fonds,
                month=month,
                net=net,
                key=f"{key}:{activity.code}:{month:%Y-%m}",
                policy=policy,
            )
    return specs


def load_small(staff: User) -> int:
    """Three months of books for the small demo co-op's open activities.
    Returns the number of entries posted."""
    rng = random.Random(2026)  # noqa: S311 — demo data, not security
    activities = Activity.objects.filter(kind=ActivityKind.MEMBER, status="open").order_by("code")
    specs = _books(
        activities, start=dt.date(2026, 1, 1), months=3, rng=rng, invoiced=(400, 3000), key="demo"
    )
    before = JournalEntry.objects.count()
    entries_post_many(entries=specs, acting_user=staff)
    return JournalEntry.objects.count() - before


def generate(
    *,
    seed: int,
    months: int = 12,
    start: dt.date = dt.date(2025, 1, 1),
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Post ``months`` months of books (4 entries, 14 lines a month) for every
    open member activity, in bulk, from ``start``. Returns the entries posted;
    a second run with the same seed posts nothing."""
    rng = random.Random(seed)  # noqa: S311 — demo data, not security
    ids = list(
        Activity.objects.filter(kind=ActivityKind.MEMBER, status="open")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    before = JournalEntry.objects.count()
    batch = 250  # activities per transaction: about 12 000 entries a year's worth
    for start_index in range(0, len(ids), batch):
        activities = Activity.objects.filter(pk__in=ids[start_index : start_index + batch])
        specs = _books(
            activities, start=start, months=months, rng=rng, invoiced=(300, 6000), key=f"gen{seed}"
        )
        entries_post_many(entries=specs, acting_user=None)
        if progress:
            progress(min(start_index + batch, len(ids)), len(ids))
    return JournalEntry.objects.count() - before
