"""Which legal route is open, and when a debt prescribes (quebec-2026.md §3).

- Small claims (Cour du Québec, C.p.c. art. 536): a claim up to the ceiling
  excluding interest, and a legal person only if it had at most N employees
  at every moment of the last 12 months. The co-op's employees are the
  members it pays: each posted pay run's payslips say who was employed in
  its work period, so the largest count over the runs of the 12 months is
  the figure to compare (a run's period counts when it overlaps the window).
- Prescription (CCQ 2925): 3 years from the due date, started again by the
  debtor's acknowledgement (a promise to pay, a payment on the invoice, an
  acknowledgement recorded by staff) and interrupted by a judicial demand.
  Staff are warned 6 and 3 months before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from maille.collection.models import LegalParameters
from maille.payroll.models import Payslip, RunStatus

WARN_MONTHS = (6, 3)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29 → February 28
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


@dataclass(frozen=True, slots=True)
class Headcount:
    most_employees: int
    limit: int
    since: dt.date
    until: dt.date
    runs: int

    @property
    def qualifies(self) -> bool:
        return self.most_employees <= self.limit


def headcount(*, on: dt.date) -> Headcount:
    """The most members paid in any posted pay run of the 12 months before ``on``."""
    params = LegalParameters.on(on)
    since = add_months(on, -12)
    runs = (
        Payslip.objects.filter(
            run__status=RunStatus.POSTED, run__period_end__gte=since, run__period_start__lte=on
        )
        .values("run_id")
        .annotate(n=Count("member_id", distinct=True))
    )
    counts = [row["n"] for row in runs]
    return Headcount(
        most_employees=max(counts, default=0),
        limit=params.small_claims_max_employees,
        since=since,
        until=on,
        runs=len(counts),
    )


@dataclass(frozen=True, slots=True)
class LegalRoute:
    small_claims: bool
    reasons: list[str]
    headcount: Headcount
    ceiling: Decimal


def legal_route(*, principal: Decimal, on: dt.date) -> LegalRoute:
    """Small claims or a demand through a lawyer, and why, said plainly."""
    params = LegalParameters.on(on)
    count = headcount(on=on)
    reasons = []
    if not count.qualifies:
        reasons.append(
            _(
                "The co-op had %(n)s employees in a pay run of the last 12 months (from "
                "%(since)s): a legal person may sue in small claims only with at most %(limit)s "
                "employees at every moment of those 12 months (C.p.c. art. 536)."
            )
            % {"n": count.most_employees, "since": count.since.isoformat(), "limit": count.limit}
        )
    if principal > params.small_claims_ceiling:
        reasons.append(
            _("The amount claimed (%(amount)s) is above the small-claims ceiling of %(ceiling)s.")
            % {"amount": principal, "ceiling": params.small_claims_ceiling}
        )
    return LegalRoute(
        small_claims=not reasons,
        reasons=reasons,
        headcount=count,
        ceiling=params.small_claims_ceiling,
    )


@dataclass(frozen=True, slots=True)
class Prescription:
    runs_from: dt.date
    prescribed_on: dt.date
    interrupted: bool  #: a judicial demand stops the clock

    def warning(self, today: dt.date) -> int | None:
        """6 or 3 (months) when the prescription is that close, 0 once passed, else None."""
        if self.interrupted:
            return None
        if today >= self.prescribed_on:
            return 0
        for months in sorted(WARN_MONTHS):
            if today >= add_months(self.prescribed_on, -months):
                return months
        return None


def prescription(
    *,
    due_date: dt.date,
    acknowledged_on: dt.date | None,
    judicial_demand_on: dt.date | None,
    on: dt.date,
) -> Prescription:
    years = LegalParameters.on(on).prescription_years
    runs_from = max(d for d in (due_date, acknowledged_on) if d is not None)
    return Prescription(
        runs_from=runs_from,
        prescribed_on=add_years(runs_from, years),
        interrupted=judicial_demand_on is not None,
    )


def latest_acknowledgements(invoice_ids: list[int]) -> dict[int, dt.date]:
    """Per invoice, the latest acknowledgement of the debt: a payment on it, a
    promise, or one recorded by staff."""
    from maille.collection.models import CaseEvent, EventKind, Promise
    from maille.payments.models import Allocation

    found: dict[int, dt.date] = {}

    def keep(rows: object) -> None:
        for pk, day in rows:  # type: ignore[attr-defined]
            if day is not None and (pk not in found or day > found[pk]):
                found[pk] = day

    keep(
        Allocation.objects.filter(invoice_id__in=invoice_ids, payment__reversed_on__isnull=True)
        .values("invoice_id")
        .annotate(d=Max("date"))
        .values_list("invoice_id", "d")
    )
    keep(
        Promise.objects.filter(invoice_id__in=invoice_ids)
        .values("invoice_id")
        .annotate(d=Max("created_at__date"))
        .values_list("invoice_id", "d")
    )
    keep(
        CaseEvent.objects.filter(invoice_id__in=invoice_ids, kind=EventKind.ACKNOWLEDGEMENT)
        .values("invoice_id")
        .annotate(d=Max("on"))
        .values_list("invoice_id", "d")
    )
    return found
