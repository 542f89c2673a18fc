"""Reads of the payroll app: the co-op's employer figures in force on a date."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum
from django.shortcuts import get_object_or_404

from maille.core.models import User
from maille.core.money import ZERO, round_half_up
from maille.payroll.engine import EmployerRates
from maille.payroll.models import (
    BankFile,
    EmployerPayrollSettings,
    PayrollOperationsSettings,
    PayRun,
    Payslip,
    PayslipStatus,
    RequestStatus,
    RunStatus,
    SalaryRequest,
    VacationPolicy,
)


def employer_rates_on(date: dt.date) -> EmployerRates:
    """The co-op's figures in force on ``date``, for the engine.

    Without any row in force (a fresh database, a date before the first
    one), the engine's defaults: an employer under 1 M$ of payroll in the
    general sector, at the year file's average CNESST rate.
    """
    settings = EmployerPayrollSettings.in_force(date)
    return settings.as_employer_rates() if settings is not None else EmployerRates()


def vacation_paid_on(date: dt.date) -> bool:
    """The co-op's vacation policy in force on ``date``: paid with each pay
    (the default, and without settings) or accrued for later."""
    settings = PayrollOperationsSettings.in_force(date)
    return settings is None or settings.vacation_pay == VacationPolicy.EACH_PAY


# --- Pay runs, payslips and requests, scoped to the person asking --------------------


EMPLOYER_FIGURES = (
    "employer_qpp",
    "employer_qpp2",
    "employer_ei",
    "employer_qpip",
    "employer_fss",
    "employer_cnt",
    "employer_cnesst",
    "employer_wsdrf",
)


def payslip_list(*, user: User, run_id: int | None = None) -> QuerySet[Payslip]:
    """A member sees their own payslips; staff see all; anyone else none."""
    qs = Payslip.objects.select_related("member__user", "activity", "run")
    if not user.is_staff:
        qs = qs.filter(member__user=user) if user.is_member else qs.none()
    if run_id is not None:
        qs = qs.filter(run_id=run_id)
    return qs.order_by("-pay_date", "id")


def payslip_get(*, user: User, pk: int) -> Payslip:
    return get_object_or_404(payslip_list(user=user), pk=pk)


def request_list(*, user: User) -> QuerySet[SalaryRequest]:
    qs = SalaryRequest.objects.select_related("member__user", "activity")
    if not user.is_staff:
        qs = qs.filter(member__user=user) if user.is_member else qs.none()
    return qs


def request_get(*, user: User, pk: int) -> SalaryRequest:
    return get_object_or_404(request_list(user=user), pk=pk)


def run_list(*, user: User) -> QuerySet[PayRun]:
    return PayRun.objects.all() if user.is_staff else PayRun.objects.none()


def run_get(*, user: User, pk: int) -> PayRun:
    return get_object_or_404(run_list(user=user), pk=pk)


def _sum(qs: QuerySet[Payslip], *names: str) -> Decimal:
    expression = sum((F(n) for n in names[1:]), F(names[0]))
    # Back to the cent: SQLite sums decimals as floats.
    return round_half_up(Decimal(qs.aggregate(total=Sum(expression))["total"] or ZERO))


def run_totals(run: PayRun) -> dict[str, object]:
    """The figures of ``maille payroll run --json`` for a run (posted payslips only)."""
    from maille.payroll.remittances import CRA_FIGURES, RQ_FIGURES

    payslips = Payslip.objects.filter(run=run, status=PayslipStatus.POSTED)
    bank_file = BankFile.objects.filter(run=run).first()
    return {
        "run": run.pk,
        "payslips": payslips.count(),
        "gross": _sum(payslips, "gross", "lump_sum"),
        "net": _sum(payslips, "net"),
        "employer_contributions": _sum(payslips, *EMPLOYER_FIGURES),
        "remittance_rq": _sum(payslips, *RQ_FIGURES),
        "remittance_cra": _sum(payslips, *CRA_FIGURES),
        "bank_file_total": bank_file.total if bank_file else ZERO,
    }


@dataclasses.dataclass(frozen=True)
class PayToRun:
    """Approved salary requests of one pay date that no posted run has paid yet."""

    pay_date: dt.date
    kind: str
    requests: int


def pays_to_run() -> list[PayToRun]:
    """The pay dates staff still have to run, regular and off-cycle, oldest first
    (a date already passed is late: its members wait for their salary)."""
    rows = (
        SalaryRequest.objects.filter(status=RequestStatus.APPROVED)
        .values("pay_date", "kind")
        .annotate(n=Count("pk"))
        .order_by("pay_date", "kind")
    )
    return [PayToRun(r["pay_date"], r["kind"], r["n"]) for r in rows]


def latest_posted_run_id() -> int | None:
    """The latest posted pay run: its page lists the net pays still owed."""
    return (
        PayRun.objects.filter(status=RunStatus.POSTED)
        .order_by("-pay_date", "-id")
        .values_list("pk", flat=True)
        .first()
    )
