"""Payroll API: employment records, budgets, salary requests, pay runs, payslips,
returned deposits and remittances; the public salary simulator
(``simulator_api``) is mounted on the same router.
"""

from decimal import Decimal
from typing import Annotated, NoReturn

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from maille.core.http import acting_user
from maille.core.models import User
from maille.core.money import money_str
from maille.core.schemas import ErrorOut, Id, Pagination
from maille.core.validators import clean_bank_account
from maille.members.models import ActivityStatus, Member
from maille.members.selectors import activity_list, member_or_404
from maille.payroll.bankfile import (
    bank_returns_import,
    net_pay_paid_otherwise,
    nets_owed_list,
)
from maille.payroll.exceptions import PayrollError
from maille.payroll.mail import payslip_pdf_response
from maille.payroll.models import PayRun, Payslip, SalaryRequest
from maille.payroll.payslips import payslip_data
from maille.payroll.projections import budget_projections
from maille.payroll.remittances import RemittancePeriod, remittance_periods, remittance_record
from maille.payroll.rendering import payslip_pdfs_refresh
from maille.payroll.schemas import (
    BudgetOut,
    EmploymentOut,
    EmploymentPatch,
    NetOwedOut,
    PaidOtherwiseIn,
    PaidOtherwiseOut,
    PreviewOut,
    RemittanceIn,
    RemittanceOut,
    RequestIn,
    RequestOut,
    ReturnsOut,
    RunIn,
    RunOut,
)
from maille.payroll.selectors import (
    payslip_get,
    payslip_list,
    request_get,
    request_list,
    run_get,
    run_list,
)
from maille.payroll.services import (
    employment_record_of,
    employment_record_update,
    payrun_approve,
    payrun_prepare,
    payrun_preview,
    payrun_resume,
    salary_request_cancel,
    salary_request_create,
)
from maille.payroll.simulator_api import router as simulator_router
from maille.payroll.tasks import payrun_post_job

router = Router(tags=["payroll"])

router.add_router("/", simulator_router)


# --- Employment, budgets, salary requests, pay runs, payslips, remittances ------------
#
# Scoped like the pages: a member reads and writes only their own; runs and
# remittances are staff's; another person's object is a 404.


MAX_RETURN_FILE = 10 * 2**20


def _refused(exc: PayrollError) -> NoReturn:
    if exc.http_status == 409:
        raise HttpError(409, " ".join(exc.problems))
    raise ValidationError({exc.field or "__all__": exc.problems})


def _staff(request: HttpRequest) -> User:
    user = acting_user(request)
    if not user.is_staff:
        raise Http404
    return user


def _member(request: HttpRequest) -> Member:
    return member_or_404(acting_user(request))


def _employment_out(member: Member) -> dict[str, object]:
    record = employment_record_of(member)

    def money(value: Decimal | None) -> str | None:
        return None if value is None else money_str(Decimal(value))

    return {
        "member": member.number,
        "employment_start": member.employment_start,
        "job_title": record.job_title,
        "pay_frequency": record.pay_frequency,
        "federal_claim": money(record.federal_claim),
        "quebec_claim": money(record.quebec_claim),
        **{
            name: money_str(Decimal(getattr(record, name)))
            for name in (
                "quebec_deductions",
                "additional_federal_tax",
                "additional_quebec_tax",
                "union_dues",
                "fonds_ftq",
                "fondaction",
                "pension_contribution",
            )
        },
        "cnesst_unit_code": record.cnesst_unit_code,
        "bank_account_masked": member.bank_account_masked,
        "bank_account_returned": record.bank_account_returned,
        "sin_on_file": bool(member.sin),
    }


@router.get("/employment/me", response=EmploymentOut, summary="My employment record")
def employment_me(request: HttpRequest) -> dict[str, object]:
    return _employment_out(_member(request))


@router.patch(
    "/employment/me",
    response={200: EmploymentOut, 422: ErrorOut},
    summary="Change my tax claims (TD1, TP-1015.3) or my bank account",
)
def employment_me_patch(request: HttpRequest, payload: EmploymentPatch) -> dict[str, object]:
    member = _member(request)
    data = payload.dict(exclude_unset=True)
    bank = data.pop("bank_account", None)
    if bank is not None:
        try:
            bank = clean_bank_account(bank)
        except ValidationError as exc:
            raise ValidationError({"bank_account": exc.messages}) from exc
    for name in ("quebec_deductions", "additional_federal_tax", "additional_quebec_tax"):
        if name in data and data[name] is None:
            data[name] = Decimal("0")
    employment_record_update(
        member=member, acting_user=acting_user(request), bank_account=bank, **data
    )
    member.refresh_from_db()
    return _employment_out(member)


@router.get("/budgets", response=list[BudgetOut], summary="My activities' available budgets")
def budgets(request: HttpRequest) -> list[dict[str, object]]:
    member = _member(request)
    activities = list(member.activities.filter(status=ActivityStatus.OPEN))
    codes = {a.pk: a.code for a in activities}
    return [
        {
            "activity": codes[p.activity_id],
            "available": money_str(p.available),
            "pay_date": p.pay_date,
            "total_cost": money_str(p.total_cost),
            "gross": money_str(p.gross),
            "net": money_str(p.net),
            "employer_contributions": money_str(p.employer_contributions),
            "withheld": money_str(p.withheld),
            "net_paid": money_str(p.net_paid),
        }
        for p in budget_projections(member=member, activities=activities)
    ]


@router.get("/requests", response=list[RequestOut], summary="Salary requests (mine; all for staff)")
@paginate(Pagination)
def requests_list(request: HttpRequest) -> QuerySet[SalaryRequest]:
    return request_list(user=acting_user(request)).order_by("-pay_date", "-id")


@router.post(
    "/requests",
    response={201: list[RequestOut], 409: ErrorOut, 422: ErrorOut},
    summary="Ask for a pay (or a pay spread over several pay dates)",
)
def requests_create(request: HttpRequest, payload: RequestIn) -> tuple[int, list[SalaryRequest]]:
    user = acting_user(request)
    if payload.member is not None and user.is_staff:
        member = get_object_or_404(Member, pk=payload.member)
    else:
        member = _member(request)
    activity = get_object_or_404(activity_list(user=user), pk=payload.activity)
    try:
        made = salary_request_create(
            member=member,
            activity=activity,
            basis=payload.basis,
            amount=payload.amount,
            hours=payload.hours,
            pay_date=payload.pay_date,
            kind=payload.kind,
            spread=payload.spread,
            exception_reason=payload.exception_reason if user.is_staff else "",
            acting_user=user,
        )
    except PayrollError as exc:
        _refused(exc)
    return 201, made


@router.post(
    "/requests/{request_id}/cancel",
    response={200: RequestOut, 409: ErrorOut},
    summary="Cancel a request waiting for its pay date",
)
def requests_cancel(request: HttpRequest, request_id: Id) -> SalaryRequest:
    salary_request = request_get(user=acting_user(request), pk=request_id)
    try:
        return salary_request_cancel(request=salary_request, acting_user=acting_user(request))
    except PayrollError as exc:
        _refused(exc)


@router.get("/runs", response=list[RunOut], summary="Pay runs (staff)")
@paginate(Pagination)
def runs_list(request: HttpRequest) -> QuerySet[PayRun]:
    return run_list(user=_staff(request))


@router.post(
    "/runs",
    response={201: RunOut, 409: ErrorOut, 422: ErrorOut},
    summary="Prepare the pay run of a pay date (the same run if it exists)",
)
def runs_create(request: HttpRequest, payload: RunIn) -> tuple[int, PayRun]:
    user = _staff(request)
    try:
        return 201, payrun_prepare(pay_date=payload.pay_date, kind=payload.kind, acting_user=user)
    except PayrollError as exc:
        exc.field = exc.field or "pay_date"
        _refused(exc)


@router.get("/runs/{run_id}", response=RunOut, summary="A pay run: status, progress, totals")
def runs_get(request: HttpRequest, run_id: Id) -> PayRun:
    return run_get(user=_staff(request), pk=run_id)


@router.get(
    "/runs/{run_id}/preview", response=PreviewOut, summary="Every payslip the run would make"
)
def runs_preview(request: HttpRequest, run_id: Id) -> dict[str, object]:
    run = run_get(user=_staff(request), pk=run_id)
    preview = payrun_preview(run=run)
    return {
        "run": run.pk,
        "payslips": preview.count,
        "totals": {k: money_str(v) for k, v in preview.totals.items()},
        "warnings": preview.warnings,
        "lines": [
            {
                "request": c.request.pk,
                "member": c.request.member.number,
                "name": c.request.member.full_name,
                "activity": c.request.activity.code,
                "gross": money_str(c.result.paid),
                # What the payslip will carry: after the deductions taken after tax.
                "net": money_str(c.fields["net"]),
                "total_cost": money_str(c.result.total_cost),
                "warnings": c.warnings,
            }
            for c in preview.computed
        ],
        "held": [
            {
                "request": c.request.pk,
                "member": c.request.member.number,
                "name": c.request.member.full_name,
                "activity": c.request.activity.code,
                "reason": c.held,
            }
            for c in preview.held
        ],
    }


@router.post(
    "/runs/{run_id}/approve",
    response={202: RunOut, 409: ErrorOut, 422: ErrorOut},
    summary="Approve the run and start posting it (a job; follow its progress on the run)",
)
def runs_approve(request: HttpRequest, run_id: Id) -> tuple[int, PayRun]:
    user = _staff(request)
    run = run_get(user=user, pk=run_id)
    try:
        run = payrun_approve(run=run, acting_user=user)
    except PayrollError as exc:
        _refused(exc)
    payrun_post_job.enqueue(run_id=run.pk, user_id=user.pk)
    run.refresh_from_db()
    return 202, run


@router.post(
    "/runs/{run_id}/resume",
    response={202: RunOut, 409: ErrorOut},
    summary="Post again a run whose posting stopped part-way (idempotent; a posted run is left)",
)
def runs_resume(request: HttpRequest, run_id: Id) -> tuple[int, PayRun]:
    user = _staff(request)
    run = run_get(user=user, pk=run_id)
    try:
        run = payrun_resume(run=run, acting_user=user)
    except PayrollError as exc:
        _refused(exc)
    return 202, run


@router.post(
    "/runs/{run_id}/pdfs",
    response={202: RunOut, 422: ErrorOut},
    summary="Render the posted run's payslip PDFs again (a job; emails are not sent again)",
)
def runs_pdfs(request: HttpRequest, run_id: Id) -> tuple[int, PayRun]:
    user = _staff(request)
    run = run_get(user=user, pk=run_id)
    try:
        run = payslip_pdfs_refresh(run=run, acting_user=user)
    except PayrollError as exc:
        _refused(exc)
    return 202, run


@router.get(
    "/payslips",
    response=list[dict[str, object]],
    summary="Payslips: the figures of `maille payroll calc --json`, the inputs and year-to-date",
)
@paginate(Pagination)
def payslips_list(request: HttpRequest, run: Id | None = None) -> "PayslipPage":
    return PayslipPage(payslip_list(user=acting_user(request), run_id=run))


class PayslipPage:
    """The payslips as the paginator slices them: only the page asked for is read
    and turned into data (a run has thousands), its count by one COUNT."""

    def __init__(self, payslips: QuerySet[Payslip]) -> None:
        self.payslips = payslips

    def all(self) -> QuerySet[Payslip]:
        return self.payslips.all()

    def __getitem__(self, page: slice) -> list[dict[str, object]]:
        return [payslip_data(p) for p in self.payslips[page]]


@router.get("/payslips/{payslip_id}", response=dict[str, object], summary="One payslip")
def payslips_get(request: HttpRequest, payslip_id: Id) -> dict[str, object]:
    return payslip_data(payslip_get(user=acting_user(request), pk=payslip_id))


@router.get(
    "/payslips/{payslip_id}/pdf",
    response={200: None},
    summary="One payslip as PDF, in the member's language",
)
def payslips_pdf(request: HttpRequest, payslip_id: Id) -> HttpResponse:
    user = acting_user(request)
    return payslip_pdf_response(payslip_get(user=user, pk=payslip_id), user)


@router.post(
    "/returns",
    response={200: ReturnsOut, 422: ErrorOut},
    summary="Import the bank's CPA-005 return file: each returned deposit is payable again",
)
def returns_import(request: HttpRequest, file: File[UploadedFile]) -> ReturnsOut:
    user = _staff(request)
    if (file.size or 0) > MAX_RETURN_FILE:
        _refused(PayrollError([_("The file is larger than 10 MB.")], field="file"))
    try:
        result = bank_returns_import(content=file.read().decode("latin-1"), acting_user=user)
    except PayrollError as exc:
        _refused(exc)
    return ReturnsOut(
        returned=[p.pk for p in result.returned],
        already=[p.pk for p in result.already],
        problems=result.problems,
    )


@router.get(
    "/owed",
    response=list[NetOwedOut],
    summary="Net pays still owed: left out of a bank file or returned, not paid since (staff)",
)
def nets_owed_get(request: HttpRequest) -> list[dict[str, object]]:
    _staff(request)
    return [
        {
            "payslip": o.payslip.pk,
            "run": o.payslip.run_id,
            "member": o.payslip.member.number,
            "name": o.payslip.member.full_name,
            "pay_date": o.payslip.pay_date,
            "net": money_str(o.payslip.net),
            "reason": o.reason,
            "carried_next": not o.problem_now,
            "problem_now": o.problem_now,
        }
        for o in nets_owed_list(limit=None)
    ]


@router.post(
    "/payslips/{payslip_id}/paid-otherwise",
    response={200: PaidOtherwiseOut, 409: ErrorOut, 422: ErrorOut},
    summary="Record a net pay still owed as paid another way (a cheque): posted once",
)
def payslips_paid_otherwise(
    request: HttpRequest, payslip_id: Id, payload: PaidOtherwiseIn
) -> dict[str, object]:
    user = _staff(request)
    payslip = payslip_get(user=user, pk=payslip_id)
    try:
        payslip = net_pay_paid_otherwise(
            payslip=payslip, paid_on=payload.paid_on, reference=payload.reference, acting_user=user
        )
    except PayrollError as exc:
        _refused(exc)
    return {
        "payslip": payslip.pk,
        "net": money_str(payslip.net),
        "paid_on": payslip.paid_otherwise_on,
        "reference": payslip.paid_otherwise_reference,
    }


def _remittance_out(p: RemittancePeriod) -> dict[str, object]:
    return {
        "agency": p.agency,
        "period_start": p.start,
        "period_end": p.end,
        "due_date": p.due,
        "owed": money_str(p.owed),
        "paid": money_str(p.paid),
        "paid_on": p.remittance.paid_on if p.remittance else None,
    }


@router.get(
    "/remittances", response=list[RemittanceOut], summary="Remittances due and paid (staff)"
)
def remittances_list(
    request: HttpRequest, year: Annotated[int, Field(ge=2000, le=2100)]
) -> list[dict[str, object]]:
    _staff(request)
    return [_remittance_out(p) for p in remittance_periods(year)]


@router.post(
    "/remittances",
    response={201: RemittanceOut, 409: ErrorOut, 422: ErrorOut},
    summary="Record a remittance as paid (posts it)",
)
def remittances_record(
    request: HttpRequest, payload: RemittanceIn
) -> tuple[int, dict[str, object]]:
    user = _staff(request)
    try:
        remittance = remittance_record(
            agency=payload.agency,
            period_start=payload.period_start,
            paid_on=payload.paid_on,
            reference=payload.reference,
            acting_user=user,
        )
    except PayrollError as exc:
        _refused(exc)
    (period,) = [
        p
        for p in remittance_periods(remittance.period_start.year)
        if p.agency == remittance.agency and p.start == remittance.period_start
    ]
    return 201, _remittance_out(period)
