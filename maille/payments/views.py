"""Payment pages: staff record a cheque in two clicks, apply credits, refund, reverse.

Members and client contacts see a payment only through what it settled of
their own invoices (``selectors.payment_list``); everything else answers 404.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maille.clients.models import Client
from maille.core.audit import audit_trail
from maille.core.http import acting_user
from maille.core.views import paginate, staff_required
from maille.invoicing.models import OPEN_STATUSES, Invoice, InvoiceKind
from maille.invoicing.settlement import open_amount
from maille.payments import selectors, services
from maille.payments.exceptions import PaymentsError
from maille.payments.forms import PaymentForm, RefundForm, ReverseForm
from maille.payments.models import Payment, PaymentMethod
from maille.payments.services import AllocationSpec


@staff_required
def payment_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.payment_list(user=acting_user(request, staff_or_member=False))
    client_id = request.GET.get("client")
    if client_id and client_id.isdigit():
        qs = qs.filter(client_id=int(client_id))
    if request.GET.get("unallocated"):
        qs = qs.filter(client__isnull=True, reversed_on__isnull=True)
    return render(
        request,
        "payments/payment_list.html",
        {"page": paginate(request, qs), "credits": selectors.payments_with_credit()[:50]},
    )


@login_required
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request, staff_or_member=False)
    payment = selectors.payment_get(user=user, pk=pk)
    context: dict[str, Any] = {
        "payment": payment,
        "allocations": selectors.allocations_visible(user=user, payment=payment),
    }
    if user.is_staff:
        credit = selectors.payment_credit(payment=payment)
        chosen = payment.client
        if chosen is None and (raw := request.GET.get("client", "")).isdigit():
            chosen = get_object_or_404(Client, pk=int(raw))
        context.update(
            chosen=chosen,
            credit=credit,
            refunds=payment.refunds.all(),
            reverse_form=ReverseForm(initial={"date": timezone.localdate()}),
            refund_form=RefundForm(initial={"amount": credit}),
            rows=_open_rows(chosen, credit, payment.bank_reference)
            if chosen and credit > 0
            else [],
            clients=Client.objects.order_by("legal_name")[:500] if not payment.client else [],
            audit=audit_trail(payment),
        )
    return render(request, "payments/payment_detail.html", context)


def _open_rows(
    client: Client | None, amount: Decimal, reference: str = "", first: Invoice | None = None
) -> list[tuple[Invoice, Decimal, Decimal]]:
    """The client's open invoices with what is owed and the proposed allocation."""
    if client is None:
        return []
    proposal = {
        spec.invoice.pk: spec.amount
        for spec in services.allocation_proposal(
            client=client,
            amount=amount,
            reference=f"{reference} {first.number if first else ''}",
        )
    }
    invoices = Invoice.objects.filter(
        client=client, kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES
    ).order_by("due_date", "pk")
    return [(i, open_amount(i), proposal.get(i.pk, Decimal(0))) for i in invoices[:100]]


def _allocations(request: HttpRequest, client: Client | None) -> list[AllocationSpec]:
    """``alloc-<invoice id>`` fields of the posted form; blank or zero means none."""
    specs = []
    ids = {
        int(k.removeprefix("alloc-")): str(request.POST.get(k, ""))
        for k in request.POST
        if k.startswith("alloc-") and k.removeprefix("alloc-").isdigit()
    }
    ids = {k: v for k, v in ids.items() if v.strip()}
    invoices = Invoice.objects.filter(pk__in=list(ids))
    found = {i.pk: i for i in invoices}
    for pk, raw in ids.items():
        try:
            amount = Decimal(raw.strip().replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise PaymentsError(_("%(v)s is not an amount.") % {"v": raw}) from None
        if amount == 0:
            continue
        if pk not in found:
            raise PaymentsError(_("No such invoice."))
        specs.append(AllocationSpec(found[pk], amount))
    return specs


@staff_required
def payment_record(request: HttpRequest) -> HttpResponse:
    """Record a payment from an invoice or a client: the allocation is proposed."""
    user = acting_user(request, staff_or_member=False)
    invoice = None
    client = None
    source = request.POST if request.method == "POST" else request.GET
    if (raw := source.get("invoice")) and raw.isdigit():
        invoice = get_object_or_404(Invoice.objects.select_related("client"), pk=int(raw))
        client = invoice.client
    elif (raw := source.get("client")) and raw.isdigit():
        client = get_object_or_404(Client, pk=int(raw))
    if request.method == "POST":
        form = PaymentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                payment = services.payment_record(
                    bank_account=data["bank_account"],
                    client=client,
                    date=data["date"],
                    amount=data["amount"],
                    method=data["method"],
                    acting_user=user,
                    allocations=_allocations(request, client),
                    payer_name=data["payer_name"] or (client.legal_name if client else ""),
                    bank_reference=data["bank_reference"],
                )
            except PaymentsError as exc:
                for problem in getattr(exc, "problems", [str(exc)]):
                    form.add_error(None, problem)
            else:
                messages.success(request, _("Payment recorded."))
                return redirect(invoice or payment)
        amount = form.cleaned_data.get("amount") or Decimal(0) if form.is_bound else Decimal(0)
    else:
        owed = open_amount(invoice) if invoice is not None else Decimal(0)
        form = PaymentForm(
            initial={
                "amount": owed or None,
                "method": PaymentMethod.CHEQUE,
                "payer_name": client.legal_name if client else "",
            }
        )
        amount = owed
    rows = _open_rows(client, amount, first=invoice)
    return render(
        request,
        "payments/payment_record.html",
        {"form": form, "invoice": invoice, "client": client, "rows": rows},
    )


@staff_required
@require_POST
def payment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request, staff_or_member=False)
    payment = get_object_or_404(Payment, pk=pk)
    try:
        if action == "reverse":
            form = ReverseForm(request.POST)
            if not form.is_valid():
                raise PaymentsError(_("Give the date and the reason for the reversal."))
            services.payment_reverse(
                payment=payment,
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
                acting_user=user,
            )
            messages.success(request, _("Payment reversed: what it settled is owed again."))
        elif action == "refund":
            refund = RefundForm(request.POST)
            if not refund.is_valid():
                raise PaymentsError(_("Give the amount and the method of the refund."))
            services.credit_refund(
                payment=payment,
                amount=refund.cleaned_data["amount"],
                method=refund.cleaned_data["method"],
                reference=refund.cleaned_data["reference"],
                payee_account=refund.cleaned_data["payee_account"],
                payee_name=refund.cleaned_data["payee_name"],
                acting_user=user,
            )
            messages.success(request, _("Refund recorded."))
        elif action == "apply":
            client = payment.client
            if client is None and (raw := request.POST.get("client", "")).isdigit():
                client = get_object_or_404(Client, pk=int(raw))
            services.credit_apply(
                payment=payment,
                allocations=_allocations(request, client),
                client=client,
                acting_user=user,
            )
            messages.success(request, _("Credit applied."))
        else:
            raise Http404
    except PaymentsError as exc:
        for problem in getattr(exc, "problems", [str(exc)]):
            messages.error(request, problem)
    return redirect(payment)
