"""The payslip as PDF, in the member's language (French first).

What the Act respecting labour standards, s. 46 requires on a pay statement:
the employer's name, the employee's name and job title, the pay date and the
work period, the hours paid and the wage rate, overtime (hours beyond the
standard workweek, at time and a half: ``pay.wage_split``), the gross, each
deduction, the net, and the vacation and holiday indemnities when paid. The
deductions after tax (share instalments) come after the net they are withheld
from, then the net paid.
For information: the employer's contributions and the year-to-date figures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import pgettext_lazy

from maille.contracts.coop import coop
from maille.contracts.documents import render_pdf
from maille.core.money import round_half_up
from maille.payroll.deductions import line_label
from maille.payroll.models import EmploymentRecord, Payslip, PayslipStatus
from maille.payroll.pay import OVERTIME_PREMIUM
from maille.payroll.payslips import (
    EMPLOYER,
    employee_deductions,
    employer_total,
    paid,
    ytd_after,
)


def payslip_context(
    payslip: Payslip,
    *,
    job_title: str | None = None,
    coop_identity: Any = None,
    language: str = "fr",
) -> dict[str, Any]:
    if job_title is None:
        record = EmploymentRecord.objects.filter(member_id=payslip.member_id).first()
        job_title = record.job_title if record else ""
    return {
        "coop": coop_identity if coop_identity is not None else coop(),
        "payslip": payslip,
        "run": payslip.run,
        "member": payslip.member,
        "job_title": job_title,
        "regular_pay": payslip.gross - payslip.holiday_pay - payslip.overtime_pay,
        "regular_hours": payslip.hours - payslip.overtime_hours,
        "overtime_rate": round_half_up(payslip.hourly_rate * OVERTIME_PREMIUM),
        "vacation_paid": bool(payslip.inputs.get("vacation_paid")),
        "earnings": paid(payslip),
        "total_deductions": employee_deductions(payslip) + payslip.other_deductions,
        "employer": [
            (EMPLOYER_LABELS[name], getattr(payslip, f"employer_{name}")) for name in EMPLOYER
        ],
        "employer_total": employer_total(payslip),
        "other_lines": other_deduction_lines(payslip),
        "ytd": ytd_after(payslip),
        "ytd_paid": ytd_taxes_and_net(payslip),
        "net_before_after_tax": payslip.net + payslip.after_tax_deductions,
        "after_tax": [
            (line_label(line, language), Decimal(line["amount"]))
            for line in payslip.after_tax_lines
        ],
    }


#: The employer's contributions by their acronym in the payslip's language.
EMPLOYER_LABELS = {
    "qpp": pgettext_lazy("acronym", "QPP"),
    "qpp2": pgettext_lazy("acronym", "QPP2"),
    "ei": pgettext_lazy("acronym", "EI"),
    "qpip": pgettext_lazy("acronym", "QPIP"),
    "fss": pgettext_lazy("acronym", "HSF"),
    "cnt": pgettext_lazy("acronym", "CNT"),
    "cnesst": pgettext_lazy("acronym", "CNESST"),
    "wsdrf": pgettext_lazy("acronym", "WSDRF"),
}

#: The deductions before tax the engine sums in ``other_deductions``, each on
#: its own line of the payslip (LNT s. 46: "each deduction").
OTHER_DEDUCTIONS = ("union_dues", "fonds_ftq", "fondaction", "pension_contribution")


def other_deduction_lines(payslip: Payslip) -> list[tuple[str, Decimal]]:
    """(key, amount) of each deduction before tax withheld, from the inputs used."""
    inputs = payslip.inputs
    amounts = {key: Decimal(inputs.get(key) or "0") for key in OTHER_DEDUCTIONS}
    amounts["pension_contribution"] += Decimal(
        inputs.get("pension_contribution_on_lump_sum") or "0"
    )
    lines = [(key, amount) for key, amount in amounts.items() if amount]
    rest = payslip.other_deductions - sum((a for _k, a in lines), Decimal(0))
    if rest:  # never expected: the engine sums exactly these
        lines.append(("other", rest))
    return lines


def ytd_taxes_and_net(payslip: Payslip) -> dict[str, Decimal]:
    """Income taxes and net pay of the year to this payslip included: the member's
    posted payslips of the year up to its pay date (a reversed one no longer counts)."""
    totals = Payslip.objects.filter(
        member_id=payslip.member_id,
        status=PayslipStatus.POSTED,
        pay_date__gte=dt.date(payslip.pay_date.year, 1, 1),
        pay_date__lte=payslip.pay_date,
    ).aggregate(federal_tax=Sum("federal_tax"), quebec_tax=Sum("quebec_tax"), net=Sum("net"))
    # Back to the cent: SQLite sums decimals as floats.
    return {k: round_half_up(Decimal(v or 0)) for k, v in totals.items()}


def payslip_pdf(payslip: Payslip) -> bytes:
    return PayslipRenderer().render(payslip)


class PayslipRenderer:
    """Renders many payslips: the co-op's identity is read once, not per PDF
    (WeasyPrint's fonts, stylesheet and fetcher are cached by ``render_pdf``)."""

    def __init__(self) -> None:
        self.coop = coop()

    def render(self, payslip: Payslip, *, job_title: str | None = None) -> bytes:
        language = payslip.member.user.language if payslip.member.user_id else "fr"
        language = "en" if language == "en" else "fr"
        context = payslip_context(
            payslip, job_title=job_title, coop_identity=self.coop, language=language
        )
        return render_pdf("payroll/pdf/payslip.html", context, language=language)
