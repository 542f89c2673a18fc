"""From an employment record, a pay period and a year-to-date to the engine, and back.

One home for the rules that sit between the database and the pure engine:
the member's inputs (claims, deductions, vacation rate by seniority), the
year-to-date of the member's previous payslips this year, the statutory
holiday indemnity, and solving a request (gross, net, total cost, or the
whole budget) with the engine's inverse solvers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import F, Sum

from maille.core.money import CENT, ZERO, round_half_up
from maille.members.models import Member
from maille.payroll.calendar import PayPeriod, statutory_holidays
from maille.payroll.engine import (
    EmployerRates,
    Params,
    PayInput,
    PayResult,
    YearToDate,
    calculate,
    gross_for_budget,
    gross_for_net,
    year_to_date_before_pay,
)
from maille.payroll.models import (
    YTD_FIELDS,
    EmploymentRecord,
    Payslip,
    PayslipStatus,
    RequestBasis,
)
from maille.payroll.selectors import employer_rates_on, vacation_paid_on

#: Uninterrupted service after which the vacation rate is the long-service one
#: (LNT s. 74: three years).
LONG_SERVICE_YEARS = 3


def vacation_rate(start: dt.date | None, on: dt.date, params: Params) -> Decimal:
    """4 % of pay, or 6 % from three years of uninterrupted service (LNT s. 74)."""
    if start is not None:
        try:
            anniversary = start.replace(year=start.year + LONG_SERVICE_YEARS)
        except ValueError:  # February 29
            anniversary = dt.date(start.year + LONG_SERVICE_YEARS, 3, 1)
        if on >= anniversary:
            return params.vacation.long_service_rate
    return params.vacation.default_rate


def pay_input(
    *,
    record: EmploymentRecord | None,
    member: Member,
    period: PayPeriod,
    params: Params,
    employer: EmployerRates,
    ytd: YearToDate,
    gross: Decimal = ZERO,
    vacation_paid: bool = False,
) -> PayInput:
    """The engine's input for this member on this pay (gross to be solved or given);
    ``vacation_paid`` is the co-op's policy in force (``selectors.vacation_paid_on``)."""
    extra: dict[str, Any] = {}
    if record is not None:
        extra = {
            "pension_contribution": Decimal(record.pension_contribution),
            "union_dues": Decimal(record.union_dues),
            "fonds_ftq": Decimal(record.fonds_ftq),
            "fondaction": Decimal(record.fondaction),
            "federal_claim": (
                Decimal(record.federal_claim) if record.federal_claim is not None else None
            ),
            "quebec_claim": (
                Decimal(record.quebec_claim) if record.quebec_claim is not None else None
            ),
            "quebec_deductions": Decimal(record.quebec_deductions),
            "additional_federal_tax": Decimal(record.additional_federal_tax),
            "additional_quebec_tax": Decimal(record.additional_quebec_tax),
        }
    return PayInput(
        periods_per_year=period.periods_per_year,
        period=period.period,
        gross=gross,
        vacation_rate=vacation_rate(member.employment_start, period.pay_date, params),
        vacation_paid=vacation_paid,
        ytd=ytd,
        employer=employer,
        **extra,
    )


def year_to_date(
    member_ids: Iterable[int], *, before: dt.date, params: Params, period: PayPeriod
) -> dict[int, YearToDate]:
    """Each member's year-to-date from their posted payslips of ``before``'s year.

    The sums of what each payslip withheld and paid go through the engine's
    one year-to-date rule (``engine.year_to_date_before_pay``), which, given
    every figure, estimates none. A reversed payslip no longer counts, so the
    next pay corrects the year-to-date. One query for any number of members.
    """
    ids = list(member_ids)
    sums = {f"ytd_{name}": Sum(f"ytd_{name}") for name in YTD_FIELDS}
    rows = (
        Payslip.objects.filter(
            member_id__in=ids,
            status=PayslipStatus.POSTED,
            pay_date__gte=dt.date(before.year, 1, 1),
            pay_date__lt=before,
        )
        .values("member_id")
        .annotate(**sums)
    )
    result = {i: YearToDate() for i in ids}
    for row in rows:
        values: dict[str, Any] = dict(row)
        # Back to the cent: SQLite sums decimals as floats.
        totals = {
            name: round_half_up(Decimal(values[f"ytd_{name}"] or ZERO)) for name in YTD_FIELDS
        }
        estimate = year_to_date_before_pay(
            params=params,
            periods_per_year=period.periods_per_year,
            period=period.period,
            qpp=totals["qpp"],
            qpp2=totals["qpp2"],
            ei=totals["ei"],
            qpip=totals["qpip"],
            earnings=totals["earnings"],
            pensionable_earnings=totals["qpp_earnings"],
            qpip_employer=totals["qpip_employer"],
        )
        result[values["member_id"]] = dataclasses.replace(
            estimate.ytd,
            lump_sums=totals["lump_sums"],
            lump_sum_deductions=totals["lump_sum_deductions"],
            lump_sum_qpp_additional=totals["lump_sum_qpp_additional"],
        )
    return result


def member_pay_input(
    *, record: EmploymentRecord | None, member: Member, period: PayPeriod, params: Params
) -> PayInput:
    """``pay_input`` for one member's pay on its own (a salary request, a budget
    projection): the employer's figures, the year to date and the vacation policy of
    the pay date."""
    return pay_input(
        record=record,
        member=member,
        period=period,
        params=params,
        employer=employer_rates_on(period.pay_date),
        ytd=year_to_date([member.pk], before=period.pay_date, params=params, period=period)[
            member.pk
        ],
        vacation_paid=vacation_paid_on(period.pay_date),
    )


def ytd_added(before: YearToDate, after: YearToDate) -> dict[str, Decimal]:
    """What a pay added to each year-to-date figure (stored as ``ytd_<name>``)."""
    return {f"ytd_{n}": getattr(after, n) - getattr(before, n) for n in YTD_FIELDS}


#: The standard workweek (Act respecting labour standards, s. 52): the hours
#: beyond it in a week are paid half as much again as the prevailing hourly
#: wage (s. 55). Fixed by the Act since 2000, not by a yearly figure.
STANDARD_WEEK_HOURS = Decimal(40)
OVERTIME_PREMIUM = Decimal("1.5")


@dataclasses.dataclass(frozen=True, slots=True)
class WageSplit:
    """A pay's wages as regular hours at the prevailing rate and overtime."""

    regular_hours: Decimal
    overtime_hours: Decimal
    rate: Decimal  #: the prevailing hourly wage, exact (for the minimum wage)
    regular_pay: Decimal
    overtime_pay: Decimal

    @property
    def hourly_rate(self) -> Decimal:
        """The rate printed on the payslip, to the cent."""
        return self.rate.quantize(CENT)


def wage_split(wages: Decimal, hours: Decimal, start: dt.date, end: dt.date) -> WageSplit:
    """The wages of a work period (the holiday indemnity aside) as regular hours
    and overtime at time and a half, for the same total.

    A member declares the hours of the period, not of each week: they are taken
    as spread evenly over the period's weeks (a period shorter than a week counts
    as one week). The overtime pay is what the regular hours leave, so the two
    parts add up to the wages to the cent.
    """
    weeks = max(Decimal((end - start).days + 1) / 7, Decimal(1))
    regular = min(hours, (STANDARD_WEEK_HOURS * weeks).quantize(CENT))
    overtime = hours - regular
    rate = wages / (regular + OVERTIME_PREMIUM * overtime)
    regular_pay = min(round_half_up(rate * regular), wages) if overtime else wages
    return WageSplit(
        regular_hours=regular,
        overtime_hours=overtime,
        rate=rate,
        regular_pay=regular_pay,
        overtime_pay=wages - regular_pay,
    )


def holiday_indemnities(
    member_ids: Iterable[int],
    period: PayPeriod,
    *,
    planned: dict[int, list[tuple[dt.date, Decimal]]] | None = None,
) -> dict[int, Decimal]:
    """Statutory holiday indemnity owed with this pay, by member.

    For each statutory holiday in the work period: 1/20 of the wages of the
    four complete weeks before the week of the holiday (LNT s. 62), read from
    the member's payslips whose work period ended in those four weeks,
    overtime excluded. ``planned`` adds pays not posted yet, as (work period
    end, wages without overtime): the earlier pays of a request spread over
    several dates, so that its reservation counts the indemnity.
    """
    ids = list(member_ids)
    days = [
        d
        for year in {period.start.year, period.end.year}
        for d in statutory_holidays(year)
        if period.start <= d <= period.end
    ]
    owed: dict[int, Decimal] = dict.fromkeys(ids, ZERO)
    for day in days:
        week_start = day - dt.timedelta(days=(day.weekday() + 1) % 7)  # Sunday
        window = (week_start - dt.timedelta(days=28), week_start)
        rows = (
            Payslip.objects.filter(
                member_id__in=ids,
                status=PayslipStatus.POSTED,
                run__period_end__gte=window[0],
                run__period_end__lt=window[1],
            )
            .values_list("member_id")
            .annotate(total=Sum(F("gross") - F("overtime_pay")))
        )
        wages = {member_id: round_half_up(Decimal(total)) for member_id, total in rows}
        for member_id, pays in (planned or {}).items():
            for end, gross in pays:
                if window[0] <= end < window[1]:
                    wages[member_id] = wages.get(member_id, ZERO) + gross
        for member_id, total in wages.items():
            owed[member_id] += round_half_up(total / 20)
    return owed


def solve(
    *,
    basis: str,
    amount: Decimal | None,
    budget: Decimal,
    pay: PayInput,
    params: Params,
    holiday_pay: Decimal = ZERO,
) -> PayResult:
    """The pay for a request, the statutory holiday indemnity owed included.

    The indemnity is paid on top of what was asked (LNT s. 62): a gross asked
    plus the indemnity; the smallest gross for the net asked, plus the
    indemnity. A total cost or the whole budget bounds everything: the
    largest gross (indemnity included) whose cost fits it, so the wage for the
    hours is ``gross - holiday_pay`` (the caller checks it is lawful).
    """
    if basis == RequestBasis.GROSS:
        return calculate(dataclasses.replace(pay, gross=(amount or ZERO) + holiday_pay), params)
    if basis == RequestBasis.NET:
        for_net = gross_for_net(amount or ZERO, pay, params)
        if not holiday_pay:
            return for_net
        return calculate(dataclasses.replace(pay, gross=for_net.gross + holiday_pay), params)
    if basis == RequestBasis.COST:
        return gross_for_budget(amount or ZERO, pay, params)
    return gross_for_budget(max(budget, ZERO), pay, params)


def result_fields(result: PayResult) -> dict[str, Decimal]:
    """The payslip's money columns for an engine result."""
    employer = result.employer
    return {
        "gross": result.gross,
        "lump_sum": result.lump_sum,
        "qpp": result.qpp,
        "qpp2": result.qpp2,
        "ei": result.ei,
        "qpip": result.qpip,
        "federal_tax": result.federal_tax,
        "federal_tax_on_lump_sum": result.federal_tax_on_lump_sum,
        "quebec_tax": result.quebec_tax,
        "quebec_tax_on_lump_sum": result.quebec_tax_on_lump_sum,
        "other_deductions": result.other_deductions,
        "net": result.net,
        "vacation_pay": result.vacation_pay,
        "employer_qpp": employer.qpp,
        "employer_qpp2": employer.qpp2,
        "employer_ei": employer.ei,
        "employer_qpip": employer.qpip,
        "employer_fss": employer.fss,
        "employer_cnt": employer.cnt,
        "employer_cnesst": employer.cnesst,
        "employer_wsdrf": employer.wsdrf,
        "vacation_pay_employer_contributions": result.vacation_pay_employer_contributions,
        "total_cost": result.total_cost,
    }


def _strings(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _strings(v) for k, v in value.items()}
    return value


_INPUT_FIELDS = tuple(
    f.name for f in dataclasses.fields(PayInput) if f.name not in ("ytd", "employer")
)
_EMPLOYER_FIELDS = tuple(f.name for f in dataclasses.fields(EmployerRates))
_YTD_NAMES = tuple(f.name for f in dataclasses.fields(YearToDate))


def inputs_json(pay: PayInput) -> dict[str, Any]:
    """The engine input as JSON (strings for money), without the year-to-date.

    Field by field rather than ``dataclasses.asdict``, whose deep copies were a
    tenth of a pay run's time."""
    data: dict[str, Any] = {name: getattr(pay, name) for name in _INPUT_FIELDS}
    employer = {name: getattr(pay.employer, name) for name in _EMPLOYER_FIELDS}
    employer["fss_sector"] = str(pay.employer.fss_sector)
    data["employer"] = employer
    return _strings(data)  # type: ignore[no-any-return]


def ytd_json(ytd: YearToDate) -> dict[str, str]:
    return {name: str(getattr(ytd, name)) for name in _YTD_NAMES}


def pay_input_from_json(inputs: dict[str, Any], ytd: dict[str, str]) -> PayInput:
    """Rebuild the engine input a payslip was computed from (tests, audits)."""
    from maille.payroll.engine import FssSector

    data = dict(inputs)
    employer = dict(data.pop("employer"))
    money: dict[str, Any] = {k: (Decimal(v) if isinstance(v, str) else v) for k, v in data.items()}
    return PayInput(
        **money,
        ytd=YearToDate(**{k: Decimal(v) for k, v in ytd.items()}),
        employer=EmployerRates(
            total_payroll=Decimal(employer["total_payroll"]),
            fss_sector=FssSector(employer["fss_sector"]),
            cnesst_rate=(
                Decimal(employer["cnesst_rate"]) if employer["cnesst_rate"] is not None else None
            ),
            wsdrf_applies=employer["wsdrf_applies"],
        ),
    )


def slip_boxes(fields: dict[str, Decimal], inputs: PayInput) -> dict[str, dict[str, str]]:
    """This pay's share of each T4 and RL-1 box (summed per member and year at year end)."""
    paid = fields["gross"] + fields["lump_sum"]
    if inputs.vacation_paid:
        paid += fields["vacation_pay"]
    ytd = {k: fields.get(f"ytd_{k}", ZERO) for k in YTD_FIELDS}
    pension = inputs.pension_contribution + inputs.pension_contribution_on_lump_sum
    t4 = {
        "14": paid,  # employment income
        "17": fields["qpp"],  # QPP contributions (Québec employees)
        "17A": fields["qpp2"],
        "18": fields["ei"],
        "20": pension,
        "22": fields["federal_tax"],
        "24": ytd["ei_earnings"],
        "26": ytd["qpp_earnings"],
        "44": inputs.union_dues,
        "55": fields["qpip"],
        "56": ytd["qpip_earnings"],
    }
    rl1 = {
        "A": paid,
        "B": fields["qpp"],
        "B.B": fields["qpp2"],
        "C": fields["ei"],
        "D": pension,
        "E": fields["quebec_tax"],
        "F": inputs.union_dues,
        "G": ytd["qpp_earnings"],
        "H": fields["qpip"],
        "I": ytd["qpip_earnings"],
    }
    return {
        "T4": {k: str(v) for k, v in t4.items()},
        "RL-1": {k: str(v) for k, v in rl1.items()},
    }
