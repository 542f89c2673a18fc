"""Writes of payroll, part one: employment records and salary requests.

A **salary request** is solved by the engine at once (gross, net, total cost
or everything available) and accepted only if its total cost fits the
activity's available budget (``maille.budgets``) — the activity row is locked
while checking, so two requests cannot spend the same money — and its hourly
rate is at least the minimum wage in force (``MinimumWage``, dated). It then
reserves its total cost until the run. Staff may accept one beyond the
budget: the exception and its reason are recorded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.budgets.selectors import budgets_of
from maille.budgets.services import activity_lock, reservation_take, reservations_release
from maille.core.audit import set_actor
from maille.core.models import User
from maille.core.money import CENT, ZERO, format_money_active
from maille.members.models import Activity, ActivityKind, Member
from maille.members.services import member_update
from maille.payroll.calendar import PayPeriod, next_pay_period, off_cycle_period, pay_period
from maille.payroll.deductions import deductions_due
from maille.payroll.engine import PayResult, PayrollInputError, load_params
from maille.payroll.exceptions import InsufficientBudget, PayrollError, RunConflict
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
    member_pay_input,
    solve,
    wage_split,
)

#: No pay is anywhere near this; it keeps the solvers' work bounded.
MAX_REQUEST = Decimal("250000.00")
#: Hours in a two-week period cannot exceed the hours in two weeks.
MAX_HOURS = Decimal("336")
MAX_SPREAD = 26


# --- Employment record ----------------------------------------------------------------

STAFF_FIELDS = (
    "job_title",
    "pay_frequency",
    "federal_claim",
    "quebec_claim",
    "quebec_deductions",
    "additional_federal_tax",
    "additional_quebec_tax",
    "union_dues",
    "fonds_ftq",
    "fondaction",
    "pension_contribution",
    "cnesst_unit_code",
)
#: What a member may change on their own record (their own forms, TD1 and TP-1015.3).
MEMBER_FIELDS = (
    "federal_claim",
    "quebec_claim",
    "quebec_deductions",
    "additional_federal_tax",
    "additional_quebec_tax",
)


def employment_record_of(member: Member) -> EmploymentRecord:
    """The member's record (an unsaved default one if staff have not opened it)."""
    record = EmploymentRecord.objects.filter(member=member).first()
    return record if record is not None else EmploymentRecord(member=member)


@transaction.atomic
def employment_record_update(
    *,
    member: Member,
    acting_user: User,
    employment_start: dt.date | None = None,
    bank_account: str | None = None,
    **fields: Any,
) -> EmploymentRecord:
    """Save the member's employment record; members change only their claims and bank account.

    A new bank account clears the "returned by the bank" flag; staff are told
    of a member's change (``members.services.member_update``).
    """
    allowed = STAFF_FIELDS if acting_user.is_staff else MEMBER_FIELDS
    unknown = set(fields) - set(allowed)
    if unknown or (employment_start is not None and not acting_user.is_staff):
        raise PermissionError(f"fields not allowed: {sorted(unknown)}")
    record = EmploymentRecord.objects.select_for_update().filter(member=member).first()
    if record is None:
        record = EmploymentRecord(member=member)
    for name, value in fields.items():
        setattr(record, name, value)
    changes: dict[str, Any] = {}
    if employment_start is not None:
        changes["employment_start"] = employment_start
    if bank_account is not None and bank_account != member.bank_account:
        changes["bank_account"] = bank_account
        record.bank_account_returned = False
    set_actor(record, acting_user)
    record.save()
    if changes:
        member_update(member=member, acting_user=acting_user, **changes)
    return record


# --- Salary requests -------------------------------------------------------------------


def _money_problems(value: Decimal | None, label: str) -> list[str]:
    if value is None:
        return [_("Give the %(what)s.") % {"what": label}]
    if not value.is_finite() or value <= 0:
        return [_("The %(what)s must be more than zero.") % {"what": label}]
    if value > MAX_REQUEST:
        return [
            _("The %(what)s cannot be more than %(max)s.") % {"what": label, "max": MAX_REQUEST}
        ]
    if value != value.quantize(CENT):
        return [_("The %(what)s has more than two decimals.") % {"what": label}]
    return []


def _period_for(pay_date: dt.date | None, kind: str, today: dt.date) -> PayPeriod:
    if kind == RunKind.OFF_CYCLE:
        if pay_date is None:
            raise PayrollError([_("Give the date of the off-cycle pay.")], field="pay_date")
        if pay_date < today:
            raise PayrollError([_("The pay date has passed.")], field="pay_date")
        return off_cycle_period(pay_date)
    if pay_date is None:
        return next_pay_period(today)
    period = pay_period(pay_date)
    if today > period.cutoff:
        raise PayrollError(
            [
                _("Requests for the pay of %(date)s closed on %(cutoff)s.")
                % {"date": pay_date.isoformat(), "cutoff": period.cutoff.isoformat()}
            ],
            field="pay_date",
        )
    return period


def _solved(
    *,
    member: Member,
    record: EmploymentRecord | None,
    period: PayPeriod,
    basis: str,
    amount: Decimal | None,
    budget: Decimal,
    planned: list[tuple[dt.date, Decimal]] | None = None,
) -> tuple[PayResult, Decimal]:
    """The pay solved for one period, and the holiday indemnity it includes
    (``planned``: the earlier pays of the same request, not posted yet)."""
    params = load_params(period.pay_date.year)
    pay = member_pay_input(record=record, member=member, period=period, params=params)
    holiday = holiday_indemnities(
        [member.pk], period, planned={member.pk: planned} if planned else None
    )[member.pk]
    return solve(
        basis=basis, amount=amount, budget=budget, pay=pay, params=params, holiday_pay=holiday
    ), holiday


@transaction.atomic
def salary_request_create(
    *,
    member: Member,
    activity: Activity,
    basis: str,
    amount: Decimal | None,
    hours: Decimal,
    acting_user: User,
    pay_date: dt.date | None = None,
    kind: str = RunKind.REGULAR,
    spread: int = 1,
    exception_reason: str = "",
    today: dt.date | None = None,
) -> list[SalaryRequest]:
    """Accept a request for one pay (or ``spread`` successive pays), reserving its cost.

    Raises ``PayrollError`` with every problem, or ``InsufficientBudget`` with
    the figure that would fit.
    """
    today = today or timezone.localdate()
    problems: list[str] = []
    if basis not in RequestBasis.values:
        problems.append(_("Choose how the pay is asked for: gross, net, total cost or all."))
    elif basis != RequestBasis.ALL:
        problems += _money_problems(amount, _("amount"))
    if hours is None or not hours.is_finite() or hours <= 0:
        problems.append(_("Give the hours worked in the period (more than zero)."))
    elif hours > MAX_HOURS:
        problems.append(_("A two-week period has at most %(max)s hours.") % {"max": MAX_HOURS})
    if not 1 <= spread <= MAX_SPREAD:
        problems.append(_("Spread the pay over 1 to %(max)s pay dates.") % {"max": MAX_SPREAD})
    if kind == RunKind.OFF_CYCLE and spread != 1:
        problems.append(_("An off-cycle pay is one pay."))
    if activity.kind != ActivityKind.MEMBER or not activity.owners.filter(pk=member.pk).exists():
        problems.append(_("This activity is not one of the member's."))
    elif not activity.is_open:
        problems.append(_("The activity %(code)s is closed.") % {"code": activity.code})
    if not member.sin:
        problems.append(_("The member's social insurance number is missing: staff must add it."))
    if exception_reason and not acting_user.is_staff:
        problems.append(_("Only staff may approve an exception."))
    if problems:
        raise PayrollError(problems)
    period = _period_for(pay_date, kind, today)
    periods = [period]
    if spread > 1:
        later = [p for p in _following(period) if p.pay_date > period.pay_date]
        periods += later[: spread - 1]
    record = EmploymentRecord.objects.filter(member=member).first()
    activity = activity_lock(activity)
    budget = budgets_of([activity.pk])[activity.pk].available
    minimum = MinimumWage.in_force(period.end)
    created = []
    remaining = budget
    planned: dict[str, Decimal] = {}  # withheld after tax by the pays before, by key
    earlier: list[tuple[dt.date, Decimal]] = []  # this request's pays before, for holidays
    share = {RequestBasis.ALL: (budget / len(periods)).quantize(CENT, rounding="ROUND_DOWN")}
    for each in periods:
        if SalaryRequest.objects.filter(
            member=member, pay_date=each.pay_date, status=RequestStatus.APPROVED
        ).exists():
            raise PayrollError(
                [
                    _("There is already a request for the pay of %(date)s: cancel it first.")
                    % {"date": each.pay_date.isoformat()}
                ],
                field="pay_date",
            )
        if PayRun.objects.filter(
            pay_date=each.pay_date, kind=kind, status__in=[RunStatus.APPROVED, RunStatus.POSTED]
        ).exists():
            raise PayrollError(
                [_("The pay run of %(date)s is already approved.") % {"date": each.pay_date}],
                field="pay_date",
            )
        withheld = ZERO
        if basis == RequestBasis.ALL:
            this_budget = share[RequestBasis.ALL] if spread > 1 else remaining
            the_amount = None
        else:
            this_budget, the_amount = remaining, amount
        if basis == RequestBasis.NET and amount is not None:
            # A net asked is what reaches the bank: the gross also pays what
            # this pay will withhold after tax (share instalments).
            withheld = _after_tax_expected(member, each.pay_date, planned)
            the_amount = amount + withheld
        try:
            result, holiday = _solved(
                member=member,
                record=record,
                period=each,
                basis=basis,
                amount=the_amount,
                budget=this_budget,
                planned=earlier,
            )
        except PayrollInputError as exc:
            if basis == RequestBasis.ALL or basis == RequestBasis.COST:
                raise InsufficientBudget(
                    [_("The activity's available budget does not pay a salary.")], fits=ZERO
                ) from exc
            raise PayrollError([str(p) for p in exc.problems]) from exc
        if result.gross - holiday <= 0:
            raise InsufficientBudget(
                [_("The activity's available budget does not pay a salary.")], fits=ZERO
            )
        if result.total_cost > remaining and not exception_reason:
            fits, fits_holiday = (
                _solved(
                    member=member,
                    record=record,
                    period=each,
                    basis=RequestBasis.ALL,
                    amount=None,
                    budget=max(remaining, ZERO),
                    planned=earlier,
                )
                if remaining > 0
                else (None, ZERO)
            )
            figure = ZERO
            if fits is not None:
                figures: dict[str, Decimal] = {
                    RequestBasis.GROSS: max(fits.gross - fits_holiday, ZERO),
                    RequestBasis.NET: max(fits.net - withheld, ZERO),
                }
                figure = figures.get(basis, fits.total_cost)
            raise InsufficientBudget(
                [
                    _(
                        "This pay would cost %(cost)s, more than the activity's available "
                        "budget of %(budget)s. The most it allows is %(figure)s (%(basis)s)."
                    )
                    % {
                        "cost": format_money_active(result.total_cost),
                        "budget": format_money_active(remaining),
                        "figure": format_money_active(figure),
                        "basis": RequestBasis(basis).label,
                    }
                ],
                fits=figure,
            )
        split = wage_split(result.gross - holiday, hours, each.start, each.end)
        if minimum is not None:
            rate = split.rate
            if rate < minimum:
                raise PayrollError(
                    [
                        _(
                            "%(gross)s for %(hours)s hours is %(rate)s an hour, below the "
                            "minimum wage of %(minimum)s."
                        )
                        % {
                            "gross": format_money_active(result.gross - holiday),
                            "hours": hours,
                            "rate": format_money_active(rate.quantize(CENT)),
                            "minimum": format_money_active(minimum),
                        }
                    ],
                    field="hours",
                )
        request = SalaryRequest(
            member=member,
            activity=activity,
            pay_date=each.pay_date,
            kind=kind,
            basis=basis,
            amount=amount if basis != RequestBasis.ALL else None,
            hours=hours,
            gross=result.gross,
            holiday_pay=holiday,
            total_cost=result.total_cost,
            budget_at_request=remaining,
            is_exception=bool(exception_reason) and result.total_cost > remaining,
            exception_reason=exception_reason.strip()[:300],
            created_by=acting_user,
        )
        set_actor(request, acting_user)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError as exc:
            raise RunConflict(
                [_("There is already a request for this pay date.")], field="pay_date"
            ) from exc
        reservation_take(
            activity=activity,
            amount=result.total_cost,
            key=request.reservation_key,
            description=str(_("Salary of %(date)s") % {"date": each.pay_date}),
        )
        remaining -= result.total_cost
        earlier.append((each.end, result.gross - split.overtime_pay))
        created.append(request)
    return created


def _after_tax_expected(member: Member, pay_date: dt.date, planned: dict[str, Decimal]) -> Decimal:
    """What the pay of ``pay_date`` will withhold after tax, as things stand now.

    A provider's amount for a key is all that is due on it by that date, so the
    earlier pays of one request (``planned``, updated here) are counted out.
    Should the figures change before the run (a payment by transfer meanwhile),
    the run withholds what is then due and the net follows."""
    total = ZERO
    for _provider, deduction in deductions_due([member.pk], pay_date).get(member.pk, []):
        amount = max(deduction.amount - planned.get(deduction.key, ZERO), ZERO)
        planned[deduction.key] = planned.get(deduction.key, ZERO) + amount
        total += amount
    return total


def _following(period: PayPeriod) -> list[PayPeriod]:
    from maille.payroll.calendar import pay_periods

    return pay_periods(period.pay_date.year) + pay_periods(period.pay_date.year + 1)


@transaction.atomic
def salary_request_cancel(*, request: SalaryRequest, acting_user: User) -> SalaryRequest:
    """Cancel a request waiting for its pay date and release its reservation."""
    updated = SalaryRequest.objects.filter(pk=request.pk, status=RequestStatus.APPROVED).update(
        status=RequestStatus.CANCELLED
    )
    if not updated:
        raise RunConflict([_("This request is no longer waiting: it cannot be cancelled.")])
    if PayRun.objects.filter(
        pay_date=request.pay_date,
        kind=request.kind,
        status__in=[RunStatus.APPROVED, RunStatus.POSTED],
    ).exists():
        raise RunConflict([_("The pay run of this date is approved: the request stays.")])
    reservations_release(keys=[request.reservation_key])
    request.refresh_from_db()
    set_actor(request, acting_user)
    request.save(update_fields=["status"])
    return request
