"""Demo ledger data: a few months of a small co-op's books, and a large
deterministic journal for the synthetic activities (``maille demo``).

Everything is posted through the posting services, so the demo books obey
every rule of the real ones; keys are derived from the seed and the
activity, so running a generator twice posts nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from decimal import Decimal

from maille.core.models import User
from maille.core.money import round_half_up
from maille.ledger import accounts as acc
from maille.ledger.models import JournalEntry
from maille.ledger.services import EntrySpec, LineSpec, entries_post_many
from maille.members.models import (
    COOP_ACTIVITY_CODE,
    FUND_ACTIVITY_CODE,
    Activity,
    ActivityKind,
)

GST = Decimal("0.05")
QST = Decimal("0.09975")
CONTRIBUTION = Decimal("0.065")  # SMART's 6.5 % (ARCHITECTURE §2)
FUND_SHARE = Decimal("0.01")  # of the invoice, to the guarantee fund


def _month_start(start: dt.date, months: int) -> dt.date:
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def activity_month(
    *,
    activity: Activity,
    coop: Activity,
    fonds: Activity,
    month: dt.date,
    net: Decimal,
    key: str,
) -> Iterator[EntrySpec]:
    """One month of an activity: an invoice to a Québec client, the
    contribution, the payment, a salary and its net pay (ARCHITECTURE §3)."""
    label = f"{activity.code} {month:%Y-%m}"
    gst = round_half_up(net * GST)
    qst = round_half_up(net * QST)
    total = net + gst + qst
    contribution = round_half_up(net * CONTRIBUTION)
    fund = round_half_up(net * FUND_SHARE)
    issued = month + dt.timedelta(days=4)
    paid = month + dt.timedelta(days=19)
    gross = round_half_up((net - contribution) * Decimal("0.6"))
    employer = round_half_up(gross * Decimal("0.15"))
    federal = round_half_up(gross * Decimal("0.12"))
    quebec = round_half_up(gross * Decimal("0.18")) + employer
    payday = _month_start(month, 1) - dt.timedelta(days=1)
    yield EntrySpec(
        issued,
        f"Facture {label}",
        [
            LineSpec(acc.AR, activity, total),
            LineSpec(acc.REVENUE, activity, -net),
            LineSpec(acc.GST_PAYABLE, activity, -gst),
            LineSpec(acc.QST_PAYABLE, activity, -qst),
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
    yield EntrySpec(
        payday,
        f"Paie {payday:%Y-%m}",
        [
            LineSpec(acc.SALARIES, activity, gross),
            LineSpec(acc.EMPLOYER_CONTRIBUTIONS, activity, employer),
            LineSpec(acc.FEDERAL_DEDUCTIONS_PAYABLE, activity, -federal),
            LineSpec(acc.QUEBEC_DEDUCTIONS_PAYABLE, activity, -quebec),
            LineSpec(acc.NET_PAY_PAYABLE, activity, -(gross + employer - federal - quebec)),
        ],
        f"{key}:payrun",
    )


def load_small(staff: User) -> int:
    """Three months of books for the small demo co-op's open activities.
    Returns the number of entries posted."""
    coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
    fonds = Activity.objects.get(code=FUND_ACTIVITY_CODE)
    rng = random.Random(2026)  # noqa: S311 — demo data, not security
    specs: list[EntrySpec] = []
    activities = Activity.objects.filter(kind=ActivityKind.MEMBER, status="open").order_by("code")
    for activity in activities:
        for m in range(3):
            month = _month_start(dt.date(2026, 1, 1), m)
            net = Decimal(rng.randint(400, 3000) * 100) / 100
            specs += activity_month(
                activity=activity,
                coop=coop,
                fonds=fonds,
                month=month,
                net=net,
                key=f"demo:{activity.code}:{month:%Y-%m}",
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
    coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
    fonds = Activity.objects.get(code=FUND_ACTIVITY_CODE)
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
        specs: list[EntrySpec] = []
        for activity in activities:
            for m in range(months):
                month = _month_start(start, m)
                net = Decimal(rng.randint(300, 6000) * 100) / 100
                specs += activity_month(
                    activity=activity,
                    coop=coop,
                    fonds=fonds,
                    month=month,
                    net=net,
                    key=f"gen{seed}:{activity.code}:{month:%Y-%m}",
                )
        entries_post_many(entries=specs, acting_user=None)
        if progress:
            progress(min(start_index + batch, len(ids)), len(ids))
    return JournalEntry.objects.count() - before
