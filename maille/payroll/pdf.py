"""The payslip as PDF, in the member's language (French first).

What the Act respecting labour standards, s. 46 requires on a pay statement:
the employer's name, the employee's name and job title, the pay date and the
work period, the hours paid and the wage rate, overtime (none: a co-op salary
has no premium hours), the gross, each deduction, the net, and the vacation
and holiday indemnities when paid. The deductions after tax (share
instalments) come after the net they are withheld from, then the net paid.
For information: the employer's contributions and the year-to-date figures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from maille.contracts.coop import coop
from maille.contracts.documents import render_pdf
from maille.payroll.deductions import line_label
from maille.payroll.models import EmploymentRecord, Payslip
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
        "regular_pay": payslip.gross - payslip.holiday_pay,
        "vacation_paid": bool(payslip.inputs.get("vacation_paid")),
        "earnings": paid(payslip),
        "total_deductions": employee_deductions(payslip) + payslip.other_deductions,
        "employer": [(name, getattr(payslip, f"employer_{name}")) for name in EMPLOYER],
        "employer_total": employer_total(payslip),
        "ytd": ytd_after(payslip),
        "net_before_after_tax": payslip.net + payslip.after_tax_deductions,
        "after_tax": [
            (line_label(line, language), Decimal(line["amount"]))
            for line in payslip.after_tax_lines
        ],
    }


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
