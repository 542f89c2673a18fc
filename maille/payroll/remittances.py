"""Source-deduction remittances: what is owed to each agency per period, and when.

Revenu Québec receives Québec income tax, QPP (employee and employer), QPIP
(employee and employer), the Health Services Fund and the CNESST premium; the
CRA receives federal income tax and EI (employee and employer). CNT and WSDRF
are paid once a year with the RLZ-1.S summary (quebec-operations.md §3).

Periods and due dates follow each agency's remitter type in the co-op's dated
payroll settings; a due date on a weekend or bank holiday moves to the next
bank business day. Amounts are sums over the posted payslips whose pay date
falls in the period (a payslip reversed later leaves the sum).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from maille.core.models import User
from maille.core.money import ZERO, round_half_up
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import COOP_ACTIVITY_CODE, Activity
from maille.payroll.calendar import add_business_days, is_bank_business_day
from maille.payroll.exceptions import PayrollError, RunConflict
from maille.payroll.models import (
    Agency,
    PayrollOperationsSettings,
    Payslip,
    PayslipStatus,
    Remittance,
    RemitterType,
)

RQ_FIGURES = (
    "quebec_tax",
    "qpp",
    "qpp2",
    "qpip",
    "employer_qpp",
    "employer_qpp2",
    "employer_qpip",
    "employer_fss",
    "employer_cnesst",
)
CRA_FIGURES = ("federal_tax", "ei", "employer_ei")
FIGURES = {Agency.RQ: RQ_FIGURES, Agency.CRA: CRA_FIGURES}
PAYABLE = {
    Agency.RQ: accounts.QUEBEC_DEDUCTIONS_PAYABLE,
    Agency.CRA: accounts.FEDERAL_DEDUCTIONS_PAYABLE,
}


@dataclass(frozen=True, slots=True)
class RemittancePeriod:
    agency: str
    start: dt.date
    end: dt.date
    due: dt.date
    owed: Decimal
    #: what was remitted for the period, in order (a second one pays what pay
    #: posted after the first added)
    remittances: list[Remittance]

    @property
    def remittance(self) -> Remittance | None:
        """The latest remittance of the period."""
        return self.remittances[-1] if self.remittances else None

    @property
    def paid(self) -> Decimal:
        return sum((r.amount for r in self.remittances), ZERO)

    @property
    def left(self) -> Decimal:
        """What is still to remit for the period."""
        return max(self.owed - self.paid, ZERO)


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _next_month(day: dt.date, on: int) -> dt.date:
    return (_month_end(day) + dt.timedelta(days=1)).replace(day=on)


def _business(day: dt.date) -> dt.date:
    while not is_bank_business_day(day):
        day += dt.timedelta(days=1)
    return day


def period_of(remitter_type: str, day: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """(start, end, due date) of the remittance period containing ``day``."""
    if remitter_type == RemitterType.ANNUAL:
        start = dt.date(day.year, 1, 1)
        return start, dt.date(day.year, 12, 31), _business(dt.date(day.year + 1, 1, 15))
    if remitter_type == RemitterType.QUARTERLY:
        start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        end = _month_end(start.replace(month=start.month + 2))
        return start, end, _business(_next_month(end, 15))
    if remitter_type == RemitterType.TWICE_MONTHLY:
        if day.day <= 15:
            start = day.replace(day=1)
            return start, day.replace(day=15), _business(day.replace(day=25))
        start = day.replace(day=16)
        return start, _month_end(day), _business(_next_month(day, 10))
    if remitter_type == RemitterType.WEEKLY:
        first = min(((day.day - 1) // 7) * 7 + 1, 22)
        start = day.replace(day=first)
        end = _month_end(day) if first == 22 else day.replace(day=first + 6)
        return start, end, add_business_days(end, 3)
    start = day.replace(day=1)
    return start, _month_end(day), _business(_next_month(day, 15))


def _remitter_type(agency: str, day: dt.date) -> str:
    settings = PayrollOperationsSettings.in_force(day)
    if settings is None:
        return RemitterType.MONTHLY
    return settings.rq_remitter_type if agency == Agency.RQ else settings.cra_remitter_type


def owed(agency: str, start: dt.date, end: dt.date) -> Decimal:
    names = FIGURES[Agency(agency)]
    expression = sum((F(name) for name in names[1:]), F(names[0]))
    total = Payslip.objects.filter(
        status=PayslipStatus.POSTED, pay_date__gte=start, pay_date__lte=end
    ).aggregate(total=Sum(expression))["total"]
    return round_half_up(Decimal(total or ZERO))  # SQLite sums decimals as floats


def remittance_periods(year: int) -> list[RemittancePeriod]:
    """Every period of the year with pay in it, for both agencies, oldest first."""
    dates = sorted(
        set(
            Payslip.objects.filter(pay_date__year=year, status=PayslipStatus.POSTED)
            .values_list("pay_date", flat=True)
            .distinct()
        )
    )
    recorded: dict[tuple[str, dt.date], list[Remittance]] = defaultdict(list)
    for r in Remittance.objects.filter(period_start__year=year).order_by("sequence"):
        recorded[(r.agency, r.period_start)].append(r)
    out: dict[tuple[str, dt.date], RemittancePeriod] = {}
    for agency in (Agency.RQ, Agency.CRA):
        for day in dates:
            start, end, due = period_of(_remitter_type(agency, day), day)
            if (agency, start) not in out:
                out[(agency, start)] = RemittancePeriod(
                    agency=agency,
                    start=start,
                    end=end,
                    due=due,
                    owed=owed(agency, start, end),
                    remittances=recorded.get((agency, start), []),
                )
    return sorted(out.values(), key=lambda p: (p.start, p.agency))


@transaction.atomic
def remittance_record(
    *, agency: str, period_start: dt.date, paid_on: dt.date, acting_user: User, reference: str = ""
) -> Remittance:
    """Record the remittance of one period as paid: the payable goes to the bank.

    The amount is what the period's posted pay owes less what was already
    remitted for it: pay posted after a first remittance (an off-cycle pay, a
    late run) is remitted by a second one. Two staff recording at once: one
    wins, the other is told (the sequence is unique per agency and period).
    """
    if agency not in Agency.values:
        raise PayrollError([_("Unknown agency.")], field="agency")
    start, end, due = period_of(_remitter_type(agency, period_start), period_start)
    if start != period_start:
        raise PayrollError(
            [_("%(date)s does not start a remittance period.") % {"date": period_start}],
            field="period_start",
        )
    before = list(
        Remittance.objects.filter(agency=agency, period_start=start).values_list(
            "amount", flat=True
        )
    )
    amount = owed(agency, start, end) - sum(before, ZERO)
    if amount <= 0 and before:
        raise RunConflict([_("This remittance is already recorded.")])
    if amount <= 0:
        raise PayrollError([_("Nothing is owed for this period.")], field="period_start")
    try:
        with transaction.atomic():
            remittance = Remittance.objects.create(
                agency=agency,
                period_start=start,
                period_end=end,
                due_date=due,
                amount=amount,
                paid_on=paid_on,
                reference=reference[:60],
                recorded_by=acting_user,
                sequence=len(before) + 1,
            )
    except IntegrityError as exc:
        raise RunConflict([_("This remittance is already recorded.")]) from exc
    coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
    entry_post(
        date=paid_on,
        description=str(
            _("Source deductions remitted to %(agency)s, %(start)s to %(end)s")
            % {"agency": Agency(agency).label, "start": start, "end": end}
        ),
        lines=[
            LineSpec(PAYABLE[Agency(agency)], coop, amount),
            LineSpec(accounts.BANK, coop, -amount),
        ],
        idempotency_key=f"payroll:remittance:{remittance.pk}",
        acting_user=acting_user,
        source=remittance,
    )
    return remittance
