"""Writes of payroll, part two: pay runs (prepare, approve) and what a run would pay.

A **pay run** is one row per pay date and kind (a unique constraint: two staff
preparing it at once get the same run). Approving it is a conditional update
``draft → approved``: of two staff approving at once, one wins, the other gets
``RunConflict`` (409). ``compute_requests`` is the one place a request becomes
a payslip's figures (the preview and the posting both use it): the engine's,
then the deductions after tax withheld from its net (``payroll.deductions``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.budgets.selectors import budgets_of
from maille.core.audit import set_actor
from maille.core.models import User
from maille.core.money import CENT, ZERO, format_money_active
from maille.payroll.bankfile import bank_credits, bank_problem
from maille.payroll.calendar import PayPeriod, off_cycle_period, pay_period
from maille.payroll.deductions import deductions_due, lines_total, withhold
from maille.payroll.engine import PayResult, PayrollInputError, load_params
from maille.payroll.exceptions import PayrollError, RunConflict
from maille.payroll.models import (
    EmploymentRecord,
    MinimumWage,
    PayRun,
    RequestBasis,
    RequestStatus,
    RunKind,
    RunStatus,
    SalaryRequest,
)
from maille.payroll.pay import (
    holiday_indemnities,
    inputs_json,
    pay_input,
    result_fields,
    slip_boxes,
    solve,
    wage_split,
    year_to_date,
    ytd_added,
    ytd_json,
)
from maille.payroll.selectors import employer_rates_on, vacation_paid_on

# --- Pay runs ---------------------------------------------------------------------------


def payrun_prepare(*, pay_date: dt.date, acting_user: User, kind: str = RunKind.REGULAR) -> PayRun:
    """The run of this date (made if needed). Two staff preparing it get one run."""
    existing = PayRun.objects.filter(pay_date=pay_date, kind=kind).first()
    if existing is not None:
        return existing
    period = pay_period(pay_date) if kind == RunKind.REGULAR else off_cycle_period(pay_date)
    run = PayRun(
        pay_date=pay_date,
        kind=kind,
        year=pay_date.year,
        period=period.period,
        periods_per_year=period.periods_per_year,
        period_start=period.start,
        period_end=period.end,
        created_by=acting_user,
    )
    set_actor(run, acting_user)
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:
        return PayRun.objects.get(pay_date=pay_date, kind=kind)
    return run


def run_requests(run: PayRun) -> Any:
    return SalaryRequest.objects.filter(
        pay_date=run.pay_date, kind=run.kind, status=RequestStatus.APPROVED
    )


def payrun_approve(*, run: PayRun, acting_user: User) -> PayRun:
    """Approve a prepared run. Of two staff approving at once, one wins; the other
    gets ``RunConflict``."""
    with transaction.atomic():
        count = run_requests(run).count()
        # An empty run is refused, unless it is there to carry the credits of
        # the apps above payroll (expenses, suppliers, refunds) in its bank file.
        if (
            not count
            and PayRun.objects.filter(pk=run.pk, status=RunStatus.DRAFT).exists()
            and not bank_credits(run=run, pays=[]).credits
        ):
            raise PayrollError(
                [
                    _(
                        "No approved request waits for the pay of %(date)s: there is no "
                        "payslip to approve."
                    )
                    % {"date": run.pay_date.isoformat()}
                ]
            )
        updated = PayRun.objects.filter(pk=run.pk, status=RunStatus.DRAFT).update(
            status=RunStatus.APPROVED,
            approved_by=acting_user,
            approved_at=timezone.now(),
            progress_total=count,
        )
        if not updated:
            raise RunConflict([_("This pay run is already approved.")])
        run.refresh_from_db()
        set_actor(run, acting_user)
        run.save(update_fields=["status"])  # one history row naming who approved
    return run


@dataclasses.dataclass(slots=True)
class Computed:
    request: SalaryRequest
    #: When held, the pay as first computed (it did not fit): not paid.
    result: PayResult
    fields: dict[str, Any]
    warnings: list[str]
    #: Why the run holds this request instead of paying it ("" when it pays it).
    held: str = ""


def compute_requests(
    run: PayRun, requests: list[SalaryRequest], *, solve_again: bool = True
) -> list[Computed]:
    """Each request's pay for this run, with the year-to-date and budgets as they are now.

    A request keeps the wage it was given for its hours, and the statutory
    holiday indemnity owed now is paid on top (the pays before it are posted
    by now, so it may differ from the one counted when asked). When that cost
    still fits its activity's budget (its own reservation included) nothing
    else changes; only those whose budget no longer pays it are solved again,
    for everything the budget allows, indemnity included.
    When what is left pays nothing, or less than the minimum wage in force for
    the request's hours (LNT s. 40), the request is **held**: ``held`` says why,
    and the run pays it nothing (never a zero pay, never one below the minimum).
    """
    if not requests:
        return []
    period = PayPeriod(
        pay_date=run.pay_date,
        nominal_date=run.pay_date,
        period=run.period,
        periods_per_year=run.periods_per_year,
        start=run.period_start,
        end=run.period_end,
        cutoff=run.pay_date,
    )
    params = load_params(run.year)
    employer = employer_rates_on(run.pay_date)
    vacation_paid = vacation_paid_on(run.pay_date)
    member_ids = [r.member_id for r in requests]
    ytds = year_to_date(member_ids, before=run.pay_date, params=params, period=period)
    holidays = holiday_indemnities(member_ids, period)
    records = {r.member_id: r for r in EmploymentRecord.objects.filter(member_id__in=member_ids)}
    budgets = {k: b.available for k, b in budgets_of(r.activity_id for r in requests).items()}
    due = deductions_due(member_ids, run.pay_date)
    minimum = MinimumWage.in_force(run.period_end)
    out = []
    for request in requests:
        member = request.member
        pay = pay_input(
            record=records.get(member.pk),
            member=member,
            period=period,
            params=params,
            employer=employer,
            ytd=ytds[member.pk],
            vacation_paid=vacation_paid,
        )
        warnings = []
        budget = budgets[request.activity_id] + request.total_cost  # its own reservation
        # The wage for the hours as asked, and the holiday indemnity as owed now
        # (the pays before are posted), paid on top (LNT s. 62).
        holiday = holidays.get(member.pk, ZERO)
        result = solve(
            basis=RequestBasis.GROSS,
            amount=request.gross - request.holiday_pay,
            budget=budget,
            pay=pay,
            params=params,
            holiday_pay=holiday,
        )
        if result.total_cost > budget and not request.is_exception and solve_again:
            resolved: PayResult | None
            try:
                resolved = solve(
                    basis=RequestBasis.ALL, amount=None, budget=budget, pay=pay, params=params
                )
            except PayrollInputError:  # not even a zero gross fits
                resolved = None
            held = _held_reason(
                result=resolved,
                holiday=holiday,
                hours=request.hours,
                period=period,
                minimum=minimum,
                budget=budget,
            )
            if resolved is None or held:
                out.append(
                    Computed(request=request, result=result, fields={}, warnings=[held], held=held)
                )
                continue
            result = resolved
            warnings.append(_("The budget changed since the request: the pay was solved again."))
        budgets[request.activity_id] -= result.total_cost - request.total_cost
        record = records.get(member.pk)
        if not member.bank_account:
            warnings.append(_("No bank account: the pay will be left out of the bank file."))
        elif problem := bank_problem(
            member, {member.pk} if record is not None and record.bank_account_returned else set()
        ):
            warnings.append(
                _("Bank account: %(problem)s; the pay will be left out of the bank file.")
                % {"problem": problem}
            )
        if not member.sin:
            warnings.append(_("The social insurance number is missing."))
        fields: dict[str, Any] = dict(result_fields(result))
        # After tax: only the net paid changes (payroll.deductions).
        lines = withhold(result.net, due.get(member.pk, []))
        withheld = lines_total(lines)
        fields.update(
            net=result.net - withheld, after_tax_deductions=withheld, after_tax_lines=lines
        )
        fields.update(ytd_added(pay.ytd, result.ytd))
        split = wage_split(result.gross - holiday, request.hours, period.start, period.end)
        fields.update(
            hours=request.hours,
            hourly_rate=split.hourly_rate,
            overtime_hours=split.overtime_hours,
            overtime_pay=split.overtime_pay,
            holiday_pay=holiday,
            inputs=inputs_json(dataclasses.replace(pay, gross=result.gross)),
            ytd_before=ytd_json(pay.ytd),
        )
        fields["boxes"] = slip_boxes(fields, pay)
        out.append(Computed(request=request, result=result, fields=fields, warnings=warnings))
    return out


def _held_reason(
    *,
    result: PayResult | None,
    holiday: Decimal,
    hours: Decimal,
    period: PayPeriod,
    minimum: Decimal | None,
    budget: Decimal,
) -> str:
    """Why a pay solved again on a smaller budget cannot be paid ("" if it can)."""
    if result is None or result.gross - holiday <= 0 or result.net <= 0:
        return str(
            _("Held: the budget left (%(budget)s) no longer pays a salary.")
            % {"budget": format_money_active(max(budget, ZERO))}
        )
    rate = wage_split(result.gross - holiday, hours, period.start, period.end).rate
    if minimum is not None and rate < minimum:
        return str(
            _(
                "Held: the budget left (%(budget)s) pays only %(gross)s for %(hours)s hours, "
                "%(rate)s an hour, below the minimum wage of %(minimum)s."
            )
            % {
                "budget": format_money_active(max(budget, ZERO)),
                "gross": format_money_active(result.gross - holiday),
                "hours": hours,
                "rate": format_money_active(rate.quantize(CENT)),
                "minimum": format_money_active(minimum),
            }
        )
    return ""


@dataclasses.dataclass(slots=True)
class Preview:
    run: PayRun
    computed: list[Computed]
    totals: dict[str, Decimal]
    warnings: list[str]
    #: Requests the run would hold (not pay), each with its reason.
    held: list[Computed]
    #: every payslip the run would make (``computed`` may show only the first ones)
    count: int = 0


def payrun_preview(*, run: PayRun, limit: int | None = None) -> Preview:
    """Every payslip the run would make now, with totals and warnings; writes nothing."""
    requests = list(
        run_requests(run)
        .filter(payslip__isnull=True)
        .select_related("member__user", "activity")
        .order_by("id")
    )
    every = compute_requests(run, requests)
    computed = [c for c in every if not c.held]
    held = [c for c in every if c.held]
    totals: dict[str, Decimal] = {
        "gross": ZERO,
        "net": ZERO,
        "employer_contributions": ZERO,
        "total_cost": ZERO,
    }
    for c in computed:
        totals["gross"] += c.result.paid
        totals["net"] += c.fields["net"]
        totals["employer_contributions"] += c.result.employer.total
        totals["total_cost"] += c.result.total_cost
    warnings = [
        f"{c.request.member.full_name} ({c.request.member.number}): {w}"
        for c in every
        for w in c.warnings
    ]
    if not every:
        warnings.append(str(_("No approved request waits for this pay date.")))
    return Preview(
        run=run,
        computed=computed[:limit] if limit else computed,
        totals=totals,
        warnings=warnings,
        held=held,
        count=len(computed),
    )
