"""Writes of payroll: employment records, salary requests, pay runs, payslips.

Design (issue 12):

- A **salary request** is solved by the engine at once (gross, net, total
  cost or everything available) and accepted only if its total cost fits the
  activity's available budget (``maille.budgets``) — the activity row is
  locked while checking, so two requests cannot spend the same money — and
  its hourly rate is at least the minimum wage in force. It then reserves its
  total cost until the run. Staff may accept one beyond the budget: the
  exception and its reason are recorded.
- A **pay run** is one row per pay date and kind (a unique constraint: two
  staff preparing it at once get the same run). Approving it is a conditional
  update ``draft → approved``: of two staff approving at once, one wins, the
  other gets ``RunConflict`` (409).
- **Posting** is a job that works in chunks, each chunk one transaction:
  payslips of the approved requests that have none yet (a payslip is unique
  per request), their ledger entries (idempotency key per payslip) and the
  release of their reservations. Killed half-way and run again, it carries on
  where it stopped: nothing is paid twice. Each chunk claims its requests
  with ``SKIP LOCKED``, so several workers can post one run side by side.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maille.budgets.selectors import budgets_of
from maille.budgets.services import activity_lock, reservation_take, reservations_release
from maille.core.audit import set_actor
from maille.core.models import User
from maille.core.money import CENT, ZERO, format_money
from maille.ledger import accounts
from maille.ledger.services import EntrySpec, LineSpec, entries_post_many, entry_reverse
from maille.members.models import Activity, ActivityKind, Member
from maille.members.services import member_update
from maille.payroll.calendar import PayPeriod, next_pay_period, off_cycle_period, pay_period
from maille.payroll.engine import PayResult, PayrollInputError, load_params
from maille.payroll.exceptions import InsufficientBudget, PayrollError, RunConflict
from maille.payroll.models import (
    EmploymentRecord,
    MinimumWage,
    PayRun,
    Payslip,
    PayslipStatus,
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
    year_to_date,
    ytd_added,
    ytd_json,
)
from maille.payroll.selectors import employer_rates_on

#: No pay is anywhere near this; it keeps the solvers' work bounded.
MAX_REQUEST = Decimal("250000.00")
#: Hours in a two-week period cannot exceed the hours in two weeks.
MAX_HOURS = Decimal("336")
MAX_SPREAD = 26
CHUNK = 1000


def _m(amount: Decimal) -> str:
    return format_money(amount, get_language() or "fr")


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
) -> tuple[PayResult, Decimal]:
    params = load_params(period.pay_date.year)
    pay = pay_input(
        record=record,
        member=member,
        period=period,
        params=params,
        employer=employer_rates_on(period.pay_date),
        ytd=year_to_date([member.pk], before=period.pay_date, params=params, period=period)[
            member.pk
        ],
    )
    holiday = holiday_indemnities([member.pk], period)[member.pk]
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
        if basis == RequestBasis.ALL:
            this_budget = share[RequestBasis.ALL] if spread > 1 else remaining
            the_amount = None
        else:
            this_budget, the_amount = remaining, amount
        try:
            result, holiday = _solved(
                member=member,
                record=record,
                period=each,
                basis=basis,
                amount=the_amount,
                budget=this_budget,
            )
        except PayrollInputError as exc:
            if basis == RequestBasis.ALL or basis == RequestBasis.COST:
                raise InsufficientBudget(
                    [_("The activity's available budget does not pay a salary.")], fits=ZERO
                ) from exc
            raise PayrollError([str(p) for p in exc.problems]) from exc
        if result.gross <= 0:
            raise InsufficientBudget(
                [_("The activity's available budget does not pay a salary.")], fits=ZERO
            )
        if result.total_cost > remaining and not exception_reason:
            fits, _holiday = (
                _solved(
                    member=member,
                    record=record,
                    period=each,
                    basis=RequestBasis.ALL,
                    amount=None,
                    budget=max(remaining, ZERO),
                )
                if remaining > 0
                else (None, ZERO)
            )
            figure = ZERO
            if fits is not None:
                figures: dict[str, Decimal] = {
                    RequestBasis.GROSS: fits.gross,
                    RequestBasis.NET: fits.net,
                }
                figure = figures.get(basis, fits.total_cost)
            raise InsufficientBudget(
                [
                    _(
                        "This pay would cost %(cost)s, more than the activity's available "
                        "budget of %(budget)s. The most it allows is %(figure)s (%(basis)s)."
                    )
                    % {
                        "cost": _m(result.total_cost),
                        "budget": _m(remaining),
                        "figure": _m(figure),
                        "basis": RequestBasis(basis).label,
                    }
                ],
                fits=figure,
            )
        if minimum is not None:
            rate = (result.gross - holiday) / hours
            if rate < minimum:
                raise PayrollError(
                    [
                        _(
                            "%(gross)s for %(hours)s hours is %(rate)s an hour, below the "
                            "minimum wage of %(minimum)s."
                        )
                        % {
                            "gross": _m(result.gross - holiday),
                            "hours": hours,
                            "rate": _m(rate),
                            "minimum": _m(minimum),
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
        created.append(request)
    return created


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
    result: PayResult
    fields: dict[str, Any]
    warnings: list[str]


def compute_requests(
    run: PayRun, requests: list[SalaryRequest], *, solve_again: bool = True
) -> list[Computed]:
    """Each request's pay for this run, with the year-to-date and budgets as they are now.

    A request whose cost still fits its activity's budget (its own reservation
    included) keeps its gross; only those whose budget changed are solved again.
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
    member_ids = [r.member_id for r in requests]
    ytds = year_to_date(member_ids, before=run.pay_date, params=params, period=period)
    holidays = holiday_indemnities(member_ids, period)
    records = {r.member_id: r for r in EmploymentRecord.objects.filter(member_id__in=member_ids)}
    budgets = {k: b.available for k, b in budgets_of(r.activity_id for r in requests).items()}
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
        )
        warnings = []
        budget = budgets[request.activity_id] + request.total_cost  # its own reservation
        result = solve(
            basis=RequestBasis.GROSS,
            amount=request.gross,
            budget=budget,
            pay=pay,
            params=params,
        )
        if result.total_cost > budget and not request.is_exception and solve_again:
            warnings.append(_("The budget changed since the request: the pay was solved again."))
            result = solve(
                basis=RequestBasis.ALL, amount=None, budget=budget, pay=pay, params=params
            )
        budgets[request.activity_id] -= result.total_cost - request.total_cost
        if not member.bank_account:
            warnings.append(_("No bank account: the pay will be left out of the bank file."))
        if not member.sin:
            warnings.append(_("The social insurance number is missing."))
        fields: dict[str, Any] = dict(result_fields(result))
        fields.update(ytd_added(pay.ytd, result.ytd))
        holiday = min(holidays.get(member.pk, ZERO), result.gross)
        fields.update(
            hours=request.hours,
            hourly_rate=((result.gross - holiday) / request.hours).quantize(CENT),
            holiday_pay=holiday,
            inputs=inputs_json(dataclasses.replace(pay, gross=result.gross)),
            ytd_before=ytd_json(pay.ytd),
        )
        fields["boxes"] = slip_boxes(fields, pay)
        out.append(Computed(request=request, result=result, fields=fields, warnings=warnings))
    return out


def payslip_entry(payslip: Payslip) -> EntrySpec:
    """The ledger entry of one payslip, all on the member's activity (ARCHITECTURE §3)."""
    a = payslip.activity
    rq = (
        payslip.quebec_tax
        + payslip.qpp
        + payslip.qpp2
        + payslip.qpip
        + payslip.employer_qpp
        + payslip.employer_qpp2
        + payslip.employer_qpip
        + payslip.employer_fss
        + payslip.employer_cnesst
    )
    cra = payslip.federal_tax + payslip.ei + payslip.employer_ei
    year_end = payslip.employer_cnt + payslip.employer_wsdrf
    vacation = payslip.vacation_pay + payslip.vacation_pay_employer_contributions
    employer = [
        ("QPP / RRQ", payslip.employer_qpp),
        ("QPP2 / RRQ2", payslip.employer_qpp2),
        ("EI / AE", payslip.employer_ei),
        ("QPIP / RQAP", payslip.employer_qpip),
        ("FSS", payslip.employer_fss),
        ("CNT", payslip.employer_cnt),
        ("CNESST", payslip.employer_cnesst),
        ("WSDRF / FDRCMO", payslip.employer_wsdrf),
    ]
    lines = [
        LineSpec(accounts.SALARIES, a, payslip.gross + payslip.lump_sum),
        *[LineSpec(accounts.EMPLOYER_CONTRIBUTIONS, a, amount, memo) for memo, amount in employer],
        LineSpec(accounts.VACATION_PAY, a, vacation),
        LineSpec(accounts.QUEBEC_DEDUCTIONS_PAYABLE, a, -rq),
        LineSpec(accounts.FEDERAL_DEDUCTIONS_PAYABLE, a, -cra),
        LineSpec(accounts.YEAR_END_EMPLOYER_PAYABLE, a, -year_end),
        LineSpec(accounts.OTHER_PAYROLL_DEDUCTIONS_PAYABLE, a, -payslip.other_deductions),
        LineSpec(accounts.VACATION_PAY_PAYABLE, a, -vacation),
        LineSpec(accounts.NET_PAY_PAYABLE, a, -payslip.net),
    ]
    return EntrySpec(
        date=payslip.pay_date,
        description=str(
            _("Payslip %(date)s — %(member)s")
            % {"date": payslip.pay_date.isoformat(), "member": payslip.member.number}
        ),
        lines=[line for line in lines if line.amount],
        idempotency_key=f"payroll:payslip:{payslip.pk}",
        source=payslip,
    )


def payrun_post(
    *,
    run: PayRun,
    acting_user: User | None,
    chunk: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> PayRun:
    """Post an approved run, chunk by chunk; safe to run again after a crash.

    Called outside a transaction (the job, the CLI), each chunk commits on its
    own, so a crash loses at most the chunk in flight; inside one (the demo
    loader), the chunks commit with it.
    """
    if run.status == RunStatus.DRAFT:
        raise PayrollError([_("Approve the pay run before posting it.")])
    while True:
        with transaction.atomic():
            locked = PayRun.objects.get(pk=run.pk)
            if locked.status == RunStatus.POSTED:
                run.refresh_from_db()
                return run
            # Claim a chunk: rows another worker holds are skipped, so several
            # workers share one run (the ledger's counter lock still orders
            # their postings); a payslip is unique per request besides.
            unpaid = run_requests(locked).filter(
                ~Exists(Payslip.objects.filter(request=OuterRef("pk")))
            )
            requests = list(
                unpaid.select_for_update(skip_locked=True, of=("self",))
                .select_related("member", "activity")
                .order_by("id")[:chunk]
            )
            if not requests:
                if not unpaid.exists():  # none left, none in another worker's hands
                    PayRun.objects.filter(pk=run.pk, status=RunStatus.APPROVED).update(
                        status=RunStatus.POSTED,
                        posted_at=timezone.now(),
                        progress_done=Payslip.objects.filter(run_id=run.pk).count(),
                    )
                run.refresh_from_db()
                return run
            computed = compute_requests(locked, requests)
            payslips = Payslip.objects.bulk_create(
                [
                    Payslip(
                        run=locked,
                        request=c.request,
                        member=c.request.member,
                        activity=c.request.activity,
                        pay_date=locked.pay_date,
                        **c.fields,
                    )
                    for c in computed
                ]
            )
            if any(p.pk is None for p in payslips):  # SQLite before 3.35 gives no ids back
                by_request = {
                    p.request_id: p
                    for p in Payslip.objects.filter(request__in=requests).select_related(
                        "member", "activity"
                    )
                }
                payslips = [by_request[r.pk] for r in requests]
            entries_post_many(
                entries=[payslip_entry(p) for p in payslips],
                acting_user=acting_user,
                savepoint=False,
            )
            ids = [r.pk for r in requests]
            SalaryRequest.objects.filter(pk__in=ids).update(status=RequestStatus.PAID)
            reservations_release(keys=[r.reservation_key for r in requests])
            done = Payslip.objects.filter(run=locked).count()
            PayRun.objects.filter(pk=run.pk).update(progress_done=done)
            total = locked.progress_total
        if progress is not None:
            progress(done, total)


@transaction.atomic
def payslip_reverse(
    *, payslip: Payslip, acting_user: User, reason: str, date: dt.date | None = None
) -> Payslip:
    """Reverse a payslip found wrong: a reversing entry; the next pay's year-to-date
    no longer counts it."""
    from maille.ledger.models import JournalEntry

    if not reason.strip():
        raise PayrollError([_("Give the reason for the reversal.")], field="reason")
    updated = Payslip.objects.filter(pk=payslip.pk, status=PayslipStatus.POSTED).update(
        status=PayslipStatus.REVERSED
    )
    if not updated:
        raise RunConflict([_("This payslip is already reversed.")])
    entry = JournalEntry.objects.get(idempotency_key=f"payroll:payslip:{payslip.pk}")
    entry_reverse(
        entry=entry,
        date=max(date or timezone.localdate(), entry.date),
        acting_user=acting_user,
        reason=reason,
    )
    payslip.refresh_from_db()
    return payslip


@dataclasses.dataclass(slots=True)
class Preview:
    run: PayRun
    computed: list[Computed]
    totals: dict[str, Decimal]
    warnings: list[str]


def payrun_preview(*, run: PayRun, limit: int | None = None) -> Preview:
    """Every payslip the run would make now, with totals and warnings; writes nothing."""
    requests = list(
        run_requests(run)
        .filter(payslip__isnull=True)
        .select_related("member__user", "activity")
        .order_by("id")
    )
    computed = compute_requests(run, requests)
    totals: dict[str, Decimal] = {
        "gross": ZERO,
        "net": ZERO,
        "employer_contributions": ZERO,
        "total_cost": ZERO,
    }
    for c in computed:
        totals["gross"] += c.result.paid
        totals["net"] += c.result.net
        totals["employer_contributions"] += c.result.employer.total
        totals["total_cost"] += c.result.total_cost
    warnings = [
        f"{c.request.member.full_name} ({c.request.member.number}): {w}"
        for c in computed
        for w in c.warnings
    ]
    if not computed:
        warnings.append(str(_("No approved request waits for this pay date.")))
    return Preview(
        run=run,
        computed=computed[:limit] if limit else computed,
        totals=totals,
        warnings=warnings,
    )
