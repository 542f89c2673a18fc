"""The salary simulator page: public, French and English, with or without JavaScript.

One view serves the page and, for htmx, only its result fragment (Django
template partials). Without JavaScript the forms are plain GET forms.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from maille.core.audit import audit_trail
from maille.core.http import acting_user
from maille.core.views import paginate, staff_required
from maille.documents.exceptions import LinkInvalid
from maille.documents.links import document_from_token
from maille.members.models import Activity, ActivityKind, ActivityStatus, Member
from maille.members.selectors import member_list, member_or_404
from maille.payroll import services
from maille.payroll.bankfile import (
    bank_file_create,
    bank_file_mark_sent,
    bank_returns_import,
    net_pay_paid_otherwise,
    nets_owed_list,
    payment_return,
)
from maille.payroll.calendar import next_pay_period
from maille.payroll.engine import load_params
from maille.payroll.exceptions import PayrollError
from maille.payroll.forms import (
    PERIOD_CHOICES,
    EmploymentMemberForm,
    EmploymentStaffForm,
    InvoicedForm,
    NetForm,
    PaidOtherwiseForm,
    RemittanceForm,
    ReturnFileForm,
    ReturnForm,
    ReverseForm,
    RunPrepareForm,
    SalaryRequestForm,
    StaffRequestForm,
)
from maille.payroll.mail import payslip_pdf_response
from maille.payroll.models import (
    BankFile,
    RequestStatus,
    RunKind,
    RunStatus,
    SalaryRequest,
)
from maille.payroll.projections import budget_projections
from maille.payroll.remittances import remittance_periods, remittance_record
from maille.payroll.rendering import payslip_pdfs_refresh, pdf_progress
from maille.payroll.selectors import (
    employer_rates_on,
    payslip_get,
    payslip_list,
    request_get,
    request_list,
    run_get,
    run_list,
    run_totals,
)
from maille.payroll.simulator import (
    contribution_rate,
    percent_text,
    simulation_year,
    statutory_rates,
)
from maille.payroll.tasks import payrun_post_job


def simulator(request: HttpRequest) -> HttpResponse:
    invoiced_form = InvoicedForm(auto_id="invoiced-%s")
    net_form = NetForm(auto_id="net-%s")
    form: InvoicedForm | NetForm | None = None
    if "net" in request.GET:
        form = net_form = NetForm(request.GET, auto_id="net-%s")
    elif "invoiced" in request.GET:
        form = invoiced_form = InvoicedForm(request.GET, auto_id="invoiced-%s")
    simulation = form.simulate() if form is not None and form.is_valid() else None
    params = load_params(simulation.year if simulation else simulation_year())
    # The co-op's figures in force today, as the simulation uses them.
    today = timezone.localdate()
    employer = employer_rates_on(today)
    cnesst_rate = employer.cnesst_rate
    if cnesst_rate is None:
        cnesst_rate = params.cnesst.default_rate_per_100
    context = {
        "invoiced_form": invoiced_form,
        "net_form": net_form,
        "form": form,
        "simulation": simulation,
        "period_label": dict(PERIOD_CHOICES).get(simulation.periods_per_year)
        if simulation
        else None,
        "year": params.year,
        "rates": {
            key: percent_text(value) for key, value in statutory_rates(params, employer).items()
        },
        "contribution_percent": percent_text(contribution_rate(today) * 100),
        "cnesst_rate": cnesst_rate,
    }
    template = "payroll/simulator.html"
    htmx = request.htmx  # type: ignore[attr-defined]
    # A history restore (back button, htmx cache miss) needs the whole page.
    if htmx and not htmx.history_restore_request:
        template += "#result"
    response = render(request, template, context)
    # The same address answers a page or a fragment: caches must tell them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- Member pay pages and staff payroll pages ----------------------------------------


def _member(request: HttpRequest) -> Member:
    return member_or_404(acting_user(request))


def _refusal(form: forms.Form, exc: PayrollError) -> None:
    field = exc.field if exc.field in form.fields else None
    for problem in exc.problems:
        form.add_error(field, problem)


def _request_terms(data: dict[str, Any]) -> dict[str, Any]:
    """A salary request form's terms, as ``salary_request_create`` takes them (a date
    off the calendar makes an off-cycle pay)."""
    off_cycle = data.get("off_cycle_date")
    return {
        "basis": data["basis"],
        "amount": data.get("amount"),
        "hours": data["hours"],
        "spread": data["spread"],
        "kind": RunKind.OFF_CYCLE if off_cycle else RunKind.REGULAR,
        "pay_date": off_cycle,
    }


@login_required
def my_pay(request: HttpRequest) -> HttpResponse:
    """The member's pay page: budgets, what they become as a salary, requests, payslips."""
    member = _member(request)
    user = acting_user(request)
    activities = member.activities.filter(status=ActivityStatus.OPEN)
    # A link may propose the activity and the off-cycle date (the guarantee's
    # promise on an advanced invoice); the form checks them as any input.
    proposed = {k: request.GET[k] for k in ("activity", "off_cycle_date") if k in request.GET}
    form = SalaryRequestForm(request.POST or None, activities=activities, initial=proposed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.salary_request_create(
                member=member,
                activity=data["activity"],
                **_request_terms(data),
                acting_user=user,
            )
        except PayrollError as exc:
            _refusal(form, exc)
        else:
            messages.success(
                request,
                _("Request accepted: %(n)s pay(s), first on %(date)s.")
                % {"n": len(made), "date": made[0].pay_date},
            )
            return redirect("payroll:my_pay")
    activity_list_ = list(activities)
    projections = budget_projections(member=member, activities=activity_list_)
    context = {
        "member": member,
        "record": services.employment_record_of(member),
        "budgets": list(zip(activity_list_, projections, strict=True)),
        "form": form,
        "requests": request_list(user=user).order_by("-pay_date", "-id")[:30],
        "payslips": payslip_list(user=user)[:30],
    }
    return render(request, "payroll/my_pay.html", context)


@require_POST
@login_required
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    salary_request = request_get(user=acting_user(request), pk=pk)
    try:
        services.salary_request_cancel(request=salary_request, acting_user=acting_user(request))
    except PayrollError as exc:
        messages.error(request, " ".join(exc.problems))
    else:
        messages.success(request, _("Request cancelled; its budget is free again."))
    return redirect("payroll:staff_requests" if acting_user(request).is_staff else "payroll:my_pay")


@sensitive_post_parameters("bank_account")
@login_required
def employment_edit(request: HttpRequest, member_pk: int | None = None) -> HttpResponse:
    """A member changes their claims and bank account; staff edit the whole record."""
    user = acting_user(request)
    if member_pk is not None and not user.is_staff:
        raise Http404  # a member edits their own record at its own address
    member = (
        get_object_or_404(member_list(user=user), pk=member_pk) if member_pk else _member(request)
    )
    record = services.employment_record_of(member)
    form_class = EmploymentStaffForm if user.is_staff else EmploymentMemberForm
    initial = {name: getattr(record, name) for name in services.STAFF_FIELDS}
    initial["employment_start"] = member.employment_start
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        bank = data.pop("bank_account") or None
        for name in ("job_title", "cnesst_unit_code"):
            if name in data and data[name] is None:
                data[name] = ""
        start = data.pop("employment_start", None)
        services.employment_record_update(
            member=member, acting_user=user, bank_account=bank, employment_start=start, **data
        )
        messages.success(request, _("Employment record saved."))
        if user.is_staff:
            return redirect("payroll:staff_employment")
        return redirect("payroll:my_pay")
    context: dict[str, object] = {"form": form, "member": member, "record": record}
    if user.is_staff and record.pk:
        context["audit"] = audit_trail(record, member)
    if not user.is_staff:
        # What staff keep on the record, shown to the member as it stands.
        staff_only = [
            (name, field)
            for name, field in EmploymentStaffForm.base_fields.items()
            if name not in EmploymentMemberForm.base_fields
        ]
        context["kept_by_staff"] = [(field.label, initial.get(name)) for name, field in staff_only]
    return render(request, "payroll/employment_form.html", context)


@staff_required
def staff_employment(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = paginate(
        request, member_list(user=acting_user(request), search=search).select_related("employment")
    )
    return render(request, "payroll/staff_employment.html", {"page": page, "q": search})


@staff_required
def staff_requests(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = StaffRequestForm(
        request.POST or None,
        activities=Activity.objects.filter(kind=ActivityKind.MEMBER, status=ActivityStatus.OPEN),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity = data["activity"]
        owner = activity.owners.first()
        try:
            if owner is None:
                raise PayrollError([_("This activity has no member.")], field="activity")
            services.salary_request_create(
                member=owner,
                activity=activity,
                **_request_terms(data),
                exception_reason=data.get("exception_reason", ""),
                acting_user=user,
            )
        except PayrollError as exc:
            _refusal(form, exc)
        else:
            messages.success(request, _("Request recorded."))
            return redirect("payroll:staff_requests")
    status = request.GET.get("status", RequestStatus.APPROVED)
    page = paginate(
        request, request_list(user=user).filter(status=status).order_by("pay_date", "id")
    )
    return render(
        request,
        "payroll/staff_requests.html",
        {"page": page, "form": form, "status": status, "statuses": RequestStatus.choices},
    )


@require_POST
@staff_required
def returns_import(request: HttpRequest) -> HttpResponse:
    """The bank's CPA-005 return file: each returned deposit is recorded."""
    form = ReturnFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("payroll:runs")
    content = form.cleaned_data["file"].read().decode("latin-1")
    try:
        result = bank_returns_import(content=content, acting_user=acting_user(request))
    except PayrollError as exc:
        messages.error(request, " ".join(exc.problems))
        return redirect("payroll:runs")
    messages.success(
        request,
        _("%(n)s returned deposits recorded, %(k)s already recorded.")
        % {"n": len(result.returned), "k": len(result.already)},
    )
    for problem in result.problems:
        messages.warning(request, problem)
    return redirect("payroll:runs")


@staff_required
def runs(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = RunPrepareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind = RunKind.OFF_CYCLE if form.cleaned_data["off_cycle"] else RunKind.REGULAR
        try:
            run = services.payrun_prepare(
                pay_date=form.cleaned_data["pay_date"], kind=kind, acting_user=user
            )
        except PayrollError as exc:
            _refusal(form, exc)
        else:
            return redirect("payroll:run_detail", pk=run.pk)
    try:
        upcoming = next_pay_period(timezone.localdate()).pay_date
    except PayrollError:
        upcoming = None
    if not form.is_bound and upcoming:
        form = RunPrepareForm(initial={"pay_date": upcoming})
    page = paginate(request, run_list(user=user))
    return render(
        request,
        "payroll/runs.html",
        {"page": page, "form": form, "returns_form": ReturnFileForm()},
    )


@staff_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run: its preview while prepared, its progress while posting, its payslips after."""
    run = run_get(user=acting_user(request), pk=pk)
    context: dict[str, object] = {
        "run": run,
        "totals": run_totals(run),
        "held": SalaryRequest.objects.filter(
            pay_date=run.pay_date, kind=run.kind, status=RequestStatus.HELD
        ).select_related("member", "activity"),
    }
    if run.status == RunStatus.DRAFT:
        context["preview"] = services.payrun_preview(run=run, limit=200)
    else:
        context["payslips"] = paginate(
            request, payslip_list(user=acting_user(request), run_id=run.pk)
        )
        context["bank_file"] = BankFile.objects.filter(run=run).first()
        context["reverse_form"] = ReverseForm()
        context["return_form"] = ReturnForm()
        context["owed"] = nets_owed_list()
        context["paid_otherwise_form"] = PaidOtherwiseForm(
            initial={"paid_on": timezone.localdate()}
        )
        context["pdfs_ready"], context["pdfs_total"] = pdf_progress(run)
    template = "payroll/run_detail.html"
    fragment = request.GET.get("fragment")
    if request.htmx and fragment in ("progress", "pdfs"):  # type: ignore[attr-defined]
        template += f"#{fragment}"
    return render(request, template, context)


@require_POST
@staff_required
def run_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    run = run_get(user=user, pk=pk)
    try:
        run = services.payrun_approve(run=run, acting_user=user)
    except PayrollError as exc:
        messages.error(request, " ".join(exc.problems))
    else:
        run_id, user_id = run.pk, user.pk
        transaction.on_commit(lambda: payrun_post_job.enqueue(run_id=run_id, user_id=user_id))
        messages.success(request, _("Pay run approved: posting has started."))
    return redirect("payroll:run_detail", pk=run.pk)


@require_POST
@staff_required
def run_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Post again a run whose posting stopped part-way (``services.payrun_resume``)."""
    user = acting_user(request)
    run = run_get(user=user, pk=pk)
    try:
        run = services.payrun_resume(run=run, acting_user=user)
    except PayrollError as exc:
        messages.error(request, " ".join(exc.problems))
    else:
        if run.status == RunStatus.POSTED:
            messages.info(request, _("This pay run is already posted: nothing left to post."))
        else:
            messages.success(request, _("Posting has started again where it stopped."))
    return redirect("payroll:run_detail", pk=run.pk)


@require_POST
@staff_required
def run_bank_file(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    run = run_get(user=user, pk=pk)
    try:
        bank_file = bank_file_create(run=run, acting_user=user)
        if request.POST.get("sent"):
            bank_file_mark_sent(bank_file=bank_file, acting_user=user)
            messages.success(request, _("Bank file recorded as sent."))
    except PayrollError as exc:
        messages.error(request, " ".join(exc.problems))
    return redirect("payroll:run_detail", pk=run.pk)


@staff_required
def run_bank_file_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = run_get(user=acting_user(request), pk=pk)
    bank_file = get_object_or_404(BankFile, run=run)
    response = HttpResponse(bank_file.content.encode("ascii"), content_type="text/plain")
    response["Content-Disposition"] = (
        f'attachment; filename="cpa005-{bank_file.creation_number:04d}.txt"'
    )
    return response


@require_POST
@staff_required
def payslip_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    payslip = payslip_get(user=acting_user(request), pk=pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            services.payslip_reverse(
                payslip=payslip,
                acting_user=acting_user(request),
                reason=form.cleaned_data["reason"],
            )
        except PayrollError as exc:
            messages.error(request, " ".join(exc.problems))
        else:
            messages.success(request, _("Payslip reversed."))
    else:
        messages.error(request, _("Give the reason for the reversal."))
    return redirect("payroll:run_detail", pk=payslip.run_id)


@require_POST
@staff_required
def payslip_returned(request: HttpRequest, pk: int) -> HttpResponse:
    payslip = payslip_get(user=acting_user(request), pk=pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            payment_return(
                payslip=payslip,
                reason_code=form.cleaned_data["reason_code"],
                acting_user=acting_user(request),
            )
        except PayrollError as exc:
            messages.error(request, " ".join(exc.problems))
        else:
            messages.success(request, _("Returned deposit recorded; the bank account is flagged."))
    return redirect("payroll:run_detail", pk=payslip.run_id)


@require_POST
@staff_required
def payslip_paid_otherwise(request: HttpRequest, pk: int) -> HttpResponse:
    """A net still owed paid by cheque (or another way): posted once."""
    user = acting_user(request)
    payslip = payslip_get(user=user, pk=pk)
    back = request.POST.get("run") or payslip.run_id
    form = PaidOtherwiseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            net_pay_paid_otherwise(
                payslip=payslip,
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
                acting_user=user,
            )
        except PayrollError as exc:
            messages.error(request, " ".join(exc.problems))
        else:
            messages.success(request, _("Net pay recorded as paid another way."))
    try:
        return redirect("payroll:run_detail", pk=int(back))
    except ValueError:
        return redirect("payroll:run_detail", pk=payslip.run_id)


@login_required
def payslip_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    return payslip_pdf_response(payslip_get(user=user, pk=pk), user)


def payslip_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: signed for one payslip, and opened only by its member,
    signed in (or staff); anyone else gets 404, even with the link."""
    try:
        payslip = document_from_token("payslip", token)
    except LinkInvalid as exc:
        raise Http404(str(exc)) from exc
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = acting_user(request)
    if not user.is_staff and payslip.member.user_id != user.pk:
        raise Http404
    return payslip_pdf_response(payslip, user)


@require_POST
@staff_required
def run_pdfs(request: HttpRequest, pk: int) -> HttpResponse:
    """Render the run's payslip PDFs again (idempotent; no email goes out again)."""
    user = acting_user(request)
    try:
        payslip_pdfs_refresh(run=run_get(user=user, pk=pk), acting_user=user)
    except PayrollError as exc:
        messages.error(request, " ".join(exc.problems))
    else:
        messages.success(request, _("The payslip PDFs are being rendered again."))
    return redirect("payroll:run_detail", pk=pk)


@staff_required
def remittances(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    form = RemittanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            remittance_record(acting_user=user, **form.cleaned_data)
        except PayrollError as exc:
            messages.error(request, " ".join(exc.problems))
        else:
            messages.success(request, _("Remittance recorded and posted."))
            return redirect(f"{request.path}?year={year}")
    periods = remittance_periods(year)
    return render(
        request,
        "payroll/remittances.html",
        {"periods": periods, "year": year, "today": timezone.localdate()},
    )
