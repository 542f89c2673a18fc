"""Expense pages: a member's claims from the phone, the staff queue, supplier invoices,
the accountant's export. Thin views: a scoped selector (404 for what is not
yours), a form, one service."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maille.core.http import acting_user
from maille.core.views import staff_required
from maille.expenses import selectors, services
from maille.expenses.exceptions import ExpensesError
from maille.expenses.export import expenses_export
from maille.expenses.forms import (
    ApproveForm,
    ExpenseForm,
    ExportForm,
    MileageForm,
    PayForm,
    PurchaseForm,
    ReturnForm,
)
from maille.expenses.models import ClaimStatus, PurchaseStatus
from maille.members.models import Activity, ActivityKind, ActivityStatus


def _member_only(request: HttpRequest) -> None:
    if not acting_user(request).is_member:
        raise Http404


def _my_activities(request: HttpRequest) -> Any:
    return Activity.objects.filter(
        owners__user=acting_user(request), status=ActivityStatus.OPEN
    ).order_by("code")


def _form_errors(form: forms.Form, exc: ValidationError | ExpensesError) -> None:
    if isinstance(exc, ExpensesError):
        for problem in exc.problems:
            form.add_error(None, problem)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _spending_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The services' arguments a claim and a supplier invoice are entered with alike."""
    return {
        "activity": data["activity"],
        "date": data["date"],
        "supplier": data["supplier"],
        "supplier_province": data["supplier_province"],
        "category": data["category"],
        "amount": data["amount"],
        "gst_hst": data["gst_hst"] or None,
        "qst": data["qst"] or None,
        "supplier_gst_number": data["supplier_gst_number"],
        "supplier_qst_number": data["supplier_qst_number"],
        "description": data["description"],
    }


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    _member_only(request)
    user = acting_user(request)
    year = timezone.localdate().year
    context = {
        "claims": selectors.claim_list(user=user).exclude(kind="mileage")[:100],
        "mileage": selectors.mileage_log(user=user, year=year),
        "km_total": selectors.km_this_year(user=user, year=year),
        "year": year,
        "purchases": selectors.purchase_list(user=user)[:50],
    }
    return render(request, "expenses/mine.html", context)


@login_required
def claim_new(request: HttpRequest) -> HttpResponse:
    _member_only(request)
    form = ExpenseForm(
        request.POST or None, request.FILES or None, activities=_my_activities(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["receipt"]
        try:
            claim = services.expense_claim_create(
                acting_user=acting_user(request),
                receipt=upload.file,
                receipt_name=upload.name,
                **_spending_fields(data),
            )
        except (ValidationError, ExpensesError) as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Claim sent: staff will approve it."))
            return redirect("expenses:detail", claim.pk)
    return render(request, "expenses/claim_form.html", {"form": form, "mileage": False})


@login_required
def mileage_new(request: HttpRequest) -> HttpResponse:
    _member_only(request)
    form = MileageForm(request.POST or None, activities=_my_activities(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.mileage_claim_create(
                acting_user=acting_user(request),
                activity=data["activity"],
                date=data["date"],
                km=data["km"],
                origin=data["origin"],
                destination=data["destination"],
                purpose=data["purpose"],
            )
        except (ValidationError, ExpensesError) as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Trip added to your mileage log."))
            return redirect("expenses:detail", claim.pk)
    return render(request, "expenses/claim_form.html", {"form": form, "mileage": True})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    claim = selectors.claim_get(user=user, pk=pk)
    context = {
        "claim": claim,
        "approve_form": ApproveForm(),
        "return_form": ReturnForm(),
        "can_decide": user.is_staff and claim.status == ClaimStatus.SUBMITTED,
    }
    return render(request, "expenses/detail.html", context)


@login_required
def receipt(request: HttpRequest, pk: int) -> FileResponse:
    """The receipt file, only to its member, the activity's owners (purchases) and staff."""
    row = selectors.receipt_get(user=acting_user(request), pk=pk)
    if row.purged_on is not None:  # deleted at the end of its retention
        raise Http404
    response = FileResponse(row.file.open("rb"), content_type=row.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(user=acting_user(request), pk=pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.expense_claim_approve(
                claim=claim,
                acting_user=acting_user(request),
                exception_reason=form.cleaned_data["budget_exception"],
            )
        except ExpensesError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Claim approved: it will be reimbursed with the next pay."))
    return redirect("expenses:detail", claim.pk)


@require_POST
@staff_required
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(user=acting_user(request), pk=pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the claim is returned."))
        return redirect("expenses:detail", claim.pk)
    try:
        services.expense_claim_return(
            claim=claim, acting_user=acting_user(request), reason=form.cleaned_data["reason"]
        )
    except ExpensesError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Claim returned to the member."))
    return redirect("expenses:queue")


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """Claims waiting for approval, with their totals; approve several at once."""
    waiting = selectors.staff_queue()
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("claim") if i.isdigit()]
        chosen = list(waiting.filter(pk__in=ids))
        if not chosen:
            messages.error(request, _("Tick the claims to approve."))
        else:
            result = services.expense_claims_approve_many(
                claims=chosen, acting_user=acting_user(request)
            )
            if result.approved:
                messages.success(
                    request,
                    _("%(n)s claim(s) approved, %(total)s in all.")
                    % {"n": len(result.approved), "total": result.total},
                )
            for claim, reason in result.refused:
                messages.error(request, f"{claim.supplier} ({claim.date}): {reason}")
        return redirect("expenses:queue")
    context = {
        "claims": waiting[:500],
        "totals": selectors.queue_totals(waiting),
        "purchases": selectors.purchase_list(
            user=acting_user(request), status=PurchaseStatus.SUBMITTED
        ),
        "approved": selectors.queue_totals(
            selectors.claim_list(user=acting_user(request), status=ClaimStatus.APPROVED)
        ),
    }
    return render(request, "expenses/queue.html", context)


@staff_required
def export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if end < start:
            form.add_error("end", _("The end is before the start."))
        else:
            # Streamed from a temporary file (staff_required's type says HttpResponse).
            return cast(
                HttpResponse,
                FileResponse(
                    expenses_export(start=start, end=end),
                    as_attachment=True,
                    filename=f"depenses-{start}-{end}.zip",
                    content_type="application/zip",
                ),
            )
    return render(request, "expenses/export.html", {"form": form})


# --- Purchases ------------------------------------------------------------------


@login_required
def purchase_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    activities = (
        Activity.objects.filter(status=ActivityStatus.OPEN).order_by("code")
        if user.is_staff
        else _my_activities(request)
    )
    form = PurchaseForm(request.POST or None, request.FILES or None, activities=activities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            purchase = services.purchase_create(
                acting_user=user,
                invoice_number=data["invoice_number"],
                due_date=data["due_date"],
                supplier_bank_account=data["supplier_bank_account"],
                document=data["receipt"].file,
                document_name=data["receipt"].name,
                **_spending_fields(data),
            )
        except (ValidationError, ExpensesError) as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Supplier invoice entered."))
            return redirect("expenses:purchase_detail", purchase.pk)
    return render(request, "expenses/purchase_form.html", {"form": form})


@login_required
def purchase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    purchase = selectors.purchase_get(user=user, pk=pk)
    waiting = purchase.status == PurchaseStatus.SUBMITTED
    owner = purchase.activity.owners.filter(user=user).exists()
    context = {
        "purchase": purchase,
        "can_approve": waiting
        and (
            (owner and purchase.member_approved_at is None)
            or (user.is_staff and purchase.staff_approved_at is None)
        ),
        "needs_member": purchase.activity.kind != ActivityKind.COOP,
        "can_pay": user.is_staff and purchase.status == PurchaseStatus.APPROVED,
        "approve_form": ApproveForm(),
        "return_form": ReturnForm(),
        "pay_form": PayForm(initial={"paid_on": timezone.localdate()}),
        "can_refuse": waiting and (owner or user.is_staff),
    }
    return render(request, "expenses/purchase_detail.html", context)


@require_POST
@login_required
def purchase_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    purchase = selectors.purchase_get(user=user, pk=pk)
    form = ApproveForm(request.POST)
    form.is_valid()
    try:
        services.purchase_approve(
            purchase=purchase,
            acting_user=user,
            exception_reason=form.cleaned_data.get("budget_exception", ""),
        )
    except ExpensesError as exc:
        messages.error(request, str(exc))
    except PermissionError as exc:
        raise PermissionDenied from exc
    else:
        messages.success(request, _("Approval recorded."))
    return redirect("expenses:purchase_detail", purchase.pk)


@require_POST
@login_required
def purchase_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    purchase = selectors.purchase_get(user=user, pk=pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the purchase is refused."))
        return redirect("expenses:purchase_detail", purchase.pk)
    try:
        services.purchase_refuse(
            purchase=purchase, acting_user=user, reason=form.cleaned_data["reason"]
        )
    except ExpensesError as exc:
        messages.error(request, str(exc))
    except PermissionError as exc:
        raise PermissionDenied from exc
    return redirect("expenses:purchase_detail", purchase.pk)


@require_POST
@staff_required
def purchase_pay(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    purchase = selectors.purchase_get(user=user, pk=pk)
    form = PayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the payment date."))
        return redirect("expenses:purchase_detail", purchase.pk)
    try:
        services.purchase_pay(
            purchase=purchase,
            acting_user=user,
            paid_on=form.cleaned_data["paid_on"],
            reference=form.cleaned_data["reference"],
        )
    except (ExpensesError, ValidationError) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Payment recorded."))
    return redirect("expenses:purchase_detail", purchase.pk)
