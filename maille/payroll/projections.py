"""What a member's available budgets would pay today: the next pay date's gross,
net, employer contributions and what is withheld, per activity (the member's
home page, the pay page and ``GET /api/v1/payroll/budgets``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from maille.budgets.selectors import budgets_of
from maille.core.money import ZERO
from maille.members.models import Activity, Member
from maille.payroll.calendar import next_pay_period
from maille.payroll.deductions import deductions_due, lines_total, withhold
from maille.payroll.engine import PayrollInputError, gross_for_budget, load_params
from maille.payroll.exceptions import PayrollError
from maille.payroll.models import EmploymentRecord
from maille.payroll.pay import member_pay_input


@dataclasses.dataclass(frozen=True, slots=True)
class Projection:
    """An activity's available budget and what it becomes as a salary on the next pay."""

    activity_id: int
    available: Decimal
    pay_date: dt.date | None
    total_cost: Decimal
    gross: Decimal
    net: Decimal
    employer_contributions: Decimal
    #: withheld after tax from that net (``payroll.deductions``: share
    #: instalments), as things stand now; ``net_paid`` is what reaches the bank
    withheld: Decimal = ZERO
    net_paid: Decimal = ZERO


def budget_projections(*, member: Member, activities: list[Activity]) -> list[Projection]:

    budgets = budgets_of(a.pk for a in activities)

    try:
        period = next_pay_period(timezone.localdate())
    except PayrollError:
        period = None
    # What a pay of that date withholds after tax, as a run would (per payslip).
    due = deductions_due([member.pk], period.pay_date).get(member.pk, []) if period else []
    out = []
    for activity in activities:
        available = budgets[activity.pk].available
        gross = net = cost = employer = ZERO
        if period is not None and available > 0:
            params = load_params(period.pay_date.year)
            pay = member_pay_input(
                record=EmploymentRecord.objects.filter(member=member).first(),
                member=member,
                period=period,
                params=params,
            )
            try:
                result = gross_for_budget(available, pay, params)
            except PayrollInputError:
                result = None
            if result is not None:
                gross, net, cost = result.gross, result.net, result.total_cost
                employer = cost - gross - result.lump_sum
        withheld = lines_total(withhold(net, due)) if net > 0 else ZERO
        out.append(
            Projection(
                activity_id=activity.pk,
                available=available,
                pay_date=period.pay_date if period else None,
                total_cost=cost,
                gross=gross,
                net=net,
                employer_contributions=employer,
                withheld=withheld,
                net_paid=net - withheld,
            )
        )
    return out
