"""A payslip as data: the figures of ``maille payroll calc --json`` with the inputs
and year-to-date used, for the API and the PDF. The engine's net is
``net_before_after_tax_deductions``; ``net`` is what reaches the bank once the
deductions after tax (share instalments, ``payroll.deductions``) are withheld."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from maille.core.money import ZERO, money_str
from maille.payroll.deductions import line_label
from maille.payroll.engine import load_params
from maille.payroll.models import YTD_FIELDS, Payslip

CALC_AMOUNTS = (
    "gross",
    "lump_sum",
    "qpp",
    "qpp2",
    "ei",
    "qpip",
    "federal_tax",
    "federal_tax_on_lump_sum",
    "quebec_tax",
    "quebec_tax_on_lump_sum",
    "other_deductions",
    "net",
    "vacation_pay",
)
EMPLOYER = ("qpp", "qpp2", "ei", "qpip", "fss", "cnt", "cnesst", "wsdrf")


def ytd_after(payslip: Payslip) -> dict[str, Decimal]:
    return {
        name: Decimal(payslip.ytd_before.get(name, "0")) + Decimal(getattr(payslip, f"ytd_{name}"))
        for name in YTD_FIELDS
    }


def employee_deductions(payslip: Payslip) -> Decimal:
    p = payslip
    return Decimal(p.qpp + p.qpp2 + p.ei + p.qpip + p.federal_tax + p.quebec_tax)


def maxima_reached(payslip: Payslip, after: dict[str, Decimal]) -> list[str]:
    params = load_params(payslip.pay_date.year)
    months = int(payslip.inputs.get("months_of_employment", 12))
    maxima = params.qpp_maxima[months]
    limits = {
        "qpp": (payslip.qpp, after["qpp"], maxima.contribution),
        "qpp2": (payslip.qpp2, after["qpp2"], maxima.second_additional),
        "ei": (payslip.ei, after["ei"], params.ei.max_employee_premium),
        "qpip": (payslip.qpip, after["qpip"], params.qpip.max_employee_premium),
    }
    return [key for key, (now, total, limit) in limits.items() if now and total >= limit]


def payslip_data(payslip: Payslip) -> dict[str, Any]:
    after = ytd_after(payslip)
    return {
        "id": payslip.pk,
        "run": payslip.run_id,
        "member": payslip.member.number,
        "activity": payslip.activity.code,
        "pay_date": payslip.pay_date.isoformat(),
        "status": payslip.status,
        "year": payslip.run.year,  # as ``maille payroll calc --json`` prints it
        "period": payslip.run.period,
        "periods_per_year": payslip.run.periods_per_year,
        **{name: money_str(getattr(payslip, name)) for name in CALC_AMOUNTS},
        "employer": {name: money_str(getattr(payslip, f"employer_{name}")) for name in EMPLOYER},
        "vacation_pay_employer_contributions": money_str(
            payslip.vacation_pay_employer_contributions
        ),
        "total_cost": money_str(payslip.total_cost),
        "paid": money_str(paid(payslip)),
        "vacation_paid": bool(payslip.inputs.get("vacation_paid")),
        "employee_deductions": money_str(employee_deductions(payslip)),
        "ytd": {k: money_str(v) for k, v in after.items()},
        "maxima_reached": maxima_reached(payslip, after),
        "hours": money_str(payslip.hours),
        "hourly_rate": money_str(payslip.hourly_rate),
        "overtime_hours": money_str(payslip.overtime_hours),
        "overtime_pay": money_str(payslip.overtime_pay),
        "holiday_pay": money_str(payslip.holiday_pay),
        "inputs": payslip.inputs,
        "ytd_before": payslip.ytd_before,
        "boxes": payslip.boxes,
        "bank_excluded": payslip.bank_excluded,
        # ``net`` is what reaches the bank; the engine's net less these lines.
        "net_before_after_tax_deductions": money_str(payslip.net + payslip.after_tax_deductions),
        "after_tax_deductions": money_str(payslip.after_tax_deductions),
        "after_tax_lines": [
            {"key": line["key"], "label": line_label(line), "amount": line["amount"]}
            for line in payslip.after_tax_lines
        ],
    }


def paid(payslip: Payslip) -> Decimal:
    """Gross earnings paid: salary, lump sum, and the vacation pay when paid with each pay."""
    vacation = payslip.vacation_pay if payslip.inputs.get("vacation_paid") else ZERO
    return Decimal(payslip.gross + payslip.lump_sum + vacation)


def employer_total(payslip: Payslip) -> Decimal:
    return sum((getattr(payslip, f"employer_{n}") for n in EMPLOYER), ZERO)
