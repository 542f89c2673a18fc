"""Invoice pages: members draft, staff issue; the client portal; the client's signed link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from maille.contracts import selectors as quote_selectors
from maille.contracts.forms import LineFormSet, initial_lines, lines_from
from maille.contracts.lines import LineIn
from maille.core.audit import audit_trail
from maille.core.http import acting_client_contact, acting_user
from maille.core.models import User
from maille.core.views import render_list, staff_required
from maille.invoicing import selectors, services
from maille.invoicing.forms import (
    AbroadForm,
    CreditNoteForm,
    FilterForm,
    FromQuoteForm,
    InvoiceForm,
)
from maille.invoicing.models import Invoice, InvoiceStatus
from maille.members.selectors import activity_get

DEFAULT_PERIOD_DAYS = 92


def _pdf(
    content: bytes, filename: str, content_type: str = "application/pdf", inline: bool = True
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _filters(request: HttpRequest) -> tuple[FilterForm, selectors.InvoiceFilters, bool]:
    form = FilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    defaulted = False
    date_from = data.get("date_from")
    if (
        not request.GET.get("date_from")
        and data.get("status") != "draft"
        and not data.get("overdue")
    ):
        # The whole history is millions of rows: show the last three months by default.
        date_from = timezone.localdate() - dt.timedelta(days=DEFAULT_PERIOD_DAYS)
        defaulted = True
    filters = selectors.InvoiceFilters(
        status=data.get("status") or "",
        kind=data.get("kind") or "",
        client_id=data.get("client"),
        activity_id=data.get("activity"),
        date_from=date_from,
        date_to=data.get("date_to"),
        overdue=bool(data.get("overdue")),
        search=(data.get("q") or "").strip(),
        drafts_too=defaulted and not data.get("status"),
    )
    return form, filters, defaulted


@login_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form, filters, defaulted = _filters(request)
    qs = selectors.invoice_list(user=user, filters=filters)
    if filters.overdue:
        qs = qs.order_by("due_date", "id")  # the longest overdue first (a partial index)
    elif filters.status == InvoiceStatus.DRAFT:
        qs = qs.order_by("-id")  # drafts have no date yet
    else:
        qs = qs.order_by("-issue_date", "-id")
    totals = selectors.invoice_totals(qs)
    page = selectors.CountedPaginator(qs, 50, totals.count).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_list(
        request,
        "invoicing/invoice_list.html",
        {
            "page": page,
            "form": form,
            "totals": totals,
            "defaulted": defaulted,
            "date_from": filters.date_from,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "has_drafts": any(i.status == InvoiceStatus.DRAFT for i in page),
        },
    )


def _line_errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{field}: {m}" if field.startswith("lines.") else m
            for field, errors in exc.message_dict.items()
            for m in errors
        ]
    return list(exc.messages)


def _draft_saved(
    request: HttpRequest, form: forms.Form, write: Callable[[], Invoice]
) -> HttpResponse | None:
    """Write a draft: on success, to its page; a refusal becomes the form's errors (None)."""
    try:
        invoice = write()
    except ValidationError as exc:
        for message in _line_errors(exc):
            form.add_error(None, message)
    except services.InvoicingError as exc:
        form.add_error(None, str(exc))
    except PermissionError:
        raise Http404 from None
    else:
        messages.success(request, _("Invoice saved as a draft."))
        return redirect("invoicing:detail", pk=invoice.pk)
    return None


@login_required
def invoice_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    activity = activity_get(user=user, pk=int(request.GET.get("activity", "0") or 0))
    return _save(request, user, None, activity)


@login_required
def invoice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    invoice = selectors.invoice_get(user=user, pk=pk)
    if not invoice.is_draft or invoice.is_credit_note:
        messages.error(
            request, _("An issued invoice never changes. Make a credit note to correct it.")
        )
        return redirect("invoicing:detail", pk=invoice.pk)
    return _save(request, user, invoice, invoice.activity)


def _save(request: HttpRequest, user: User, invoice: Invoice | None, activity: Any) -> HttpResponse:
    initial: dict[str, Any] = {}
    line_initial: list[LineIn] = []
    if invoice is not None:
        initial = {
            f: getattr(invoice, f)
            for f in InvoiceForm.base_fields
            if f not in ("client", "buyer_activity")
        }
        initial["client"], initial["buyer_activity"] = invoice.client_id, invoice.buyer_activity_id
        line_initial = initial_lines(invoice.lines.all())
    form = InvoiceForm(request.POST or None, initial=initial, seller=activity)
    formset = LineFormSet(request.POST or None, initial=line_initial, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        client, buyer = data.pop("client"), data.pop("buyer_activity")
        if not data.get("language"):
            data.pop("language")
        lines = lines_from(formset)

        def write() -> Invoice:
            if invoice is not None:
                return services.invoice_update(
                    invoice=invoice, acting_user=user, lines=lines, **data
                )
            if buyer is not None:
                return services.invoice_create_internal(
                    activity=activity, buyer_activity=buyer, acting_user=user, lines=lines, **data
                )
            return services.invoice_create(
                activity=activity, client=client, acting_user=user, lines=lines, **data
            )

        saved = _draft_saved(request, form, write)
        if saved is not None:
            return saved
    return render(
        request,
        "invoicing/invoice_form.html",
        {"form": form, "formset": formset, "invoice": invoice, "activity": activity},
    )


@login_required
def invoice_from_quote(request: HttpRequest, quote_pk: int) -> HttpResponse:
    user = acting_user(request)
    quote = quote_selectors.quote_get(user=user, pk=quote_pk)
    form = FromQuoteForm(request.POST or None, quote=quote)
    if request.method == "POST" and form.is_valid():
        saved = _draft_saved(
            request,
            form,
            lambda: services.invoice_create_from_quote(
                quote=quote,
                acting_user=user,
                mode=form.cleaned_data["mode"],
                percent=form.cleaned_data.get("percent"),
                milestone=form.cleaned_data.get("milestone"),
            ),
        )
        if saved is not None:
            return saved
    return render(request, "invoicing/invoice_from_quote.html", {"form": form, "quote": quote})


@login_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    invoice = selectors.invoice_get(user=user, pk=pk)
    context: dict[str, Any] = {
        "invoice": invoice,
        "lines": invoice.lines.all(),
        "taxes": invoice.taxes.all(),
        "balance_due": selectors.balance_due(invoice),
        "credit_notes": invoice.credit_notes.all(),
    }
    if user.is_staff:
        context["audit"] = audit_trail(invoice)
        context["credit_form"] = CreditNoteForm()
        context["abroad_form"] = AbroadForm()
        if invoice.is_draft:
            context["problems"] = services.invoice_issue_problems(invoice)
    return render(request, "invoicing/invoice_detail.html", context)


@staff_required
@require_POST
def invoice_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    invoice = selectors.invoice_get(user=user, pk=pk)
    target = invoice.pk
    try:
        if action == "issue":
            services.invoice_issue(invoice=invoice, acting_user=user)
        elif action == "credit":
            form = CreditNoteForm(request.POST)
            if not form.is_valid():
                raise services.InvoicingError(_("Say why the invoice is credited."))
            target = services.credit_note_create(
                invoice=invoice, acting_user=user, reason=form.cleaned_data["reason"]
            ).pk
        elif action == "send":
            services.invoice_send(invoice=invoice, acting_user=user)
        elif action == "abroad":
            abroad = AbroadForm(request.POST)
            if not abroad.is_valid():
                raise services.InvoicingError(_("Not one of the allowed values."))
            services.invoice_set_abroad_decision(
                invoice=invoice, acting_user=user, decision=abroad.cleaned_data["decision"]
            )
        elif action == "revoke":
            services.invoice_link_revoke(invoice=invoice, acting_user=user)
        else:
            raise Http404
    except services.InvoiceNotIssuable as exc:
        for problem in exc.problems:
            messages.error(request, problem)
    except (services.InvoicingError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Done."))
    return redirect("invoicing:detail", pk=target)


@login_required
@require_POST
def invoice_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft thrown away by its author or by staff (a double submit, a mistake)."""
    user = acting_user(request)
    invoice = selectors.invoice_get(user=user, pk=pk)
    try:
        services.invoice_discard(invoice=invoice, acting_user=user)
    except services.InvoicingError as exc:
        messages.error(request, str(exc))
    except PermissionError:
        messages.error(request, _("Only the author of a draft or staff can discard it."))
    else:
        messages.success(request, _("Draft discarded."))
        return redirect("invoicing:list")
    return redirect("invoicing:detail", pk=invoice.pk)


@staff_required
@require_POST
def invoice_issue_many(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and len(i) < 19]
    drafts = selectors.invoice_list(user=user).filter(pk__in=ids, status=InvoiceStatus.DRAFT)
    issued, failed = services.invoice_issue_many(
        invoices=list(drafts.order_by("pk")), acting_user=user
    )
    if issued:
        messages.success(request, _("%(n)s invoices issued.") % {"n": len(issued)})
    for pk, problems in failed.items():
        messages.error(request, f"#{pk}: " + " ".join(problems))
    return redirect(f"{request.path.rsplit('/', 2)[0]}/?status=draft")


@login_required
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from maille.invoicing.documents import invoice_pdf as render_pdf

    invoice = selectors.invoice_get(user=acting_user(request), pk=pk)
    return _pdf(render_pdf(invoice), f"{invoice.number or f'brouillon-{invoice.pk}'}.pdf")


@login_required
def invoice_ubl(request: HttpRequest, pk: int) -> HttpResponse:
    from maille.invoicing.einvoice import ubl_xml

    invoice = selectors.invoice_get(user=acting_user(request), pk=pk)
    if invoice.is_draft:
        raise Http404
    return _pdf(ubl_xml(invoice), f"{invoice.number}.xml", "application/xml", inline=False)


@login_required
def activity_pipeline(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity's pipeline: quoted, accepted, invoiced, paid (a page, or an htmx fragment)."""
    user = acting_user(request)
    activity = activity_get(user=user, pk=pk)
    pipeline = selectors.activity_pipeline(user=user, activity=activity)
    template = "invoicing/pipeline.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#pipeline"
    return render(request, template, {"activity": activity, "pipeline": pipeline})


# ---------------------------------------------------------------- the client


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """A client contact's own quotes and invoices, their status and the balance due."""
    user = acting_client_contact(request)
    invoices = selectors.with_credited(selectors.invoice_list(user=user)).order_by(
        "-issue_date", "-id"
    )[:200]
    rows = [(i, selectors.balance_due(i)) for i in invoices]
    return render(
        request,
        "invoicing/portal.html",
        {
            "rows": rows,
            "quotes": quote_selectors.quote_list(user=user).defer("document_pdf")[:100],
            "balance": selectors.client_balance_due(user=user),
        },
    )


@login_required
@never_cache  # a client's contract and amounts: kept in no cache (issue 8)
def portal_invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from maille.invoicing.documents import invoice_pdf as render_pdf

    user = acting_client_contact(request)
    invoice = selectors.invoice_get(user=user, pk=pk)
    services.invoice_mark_viewed(invoice=invoice)
    return _pdf(render_pdf(invoice), f"{invoice.number}.pdf")


@login_required
@never_cache  # a client's contract and amounts: kept in no cache (issue 8)
def portal_quote_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A client contact's quote, the exact document they were sent."""
    user = acting_client_contact(request)
    quote = quote_selectors.quote_get(user=user, pk=pk)
    if not quote.document_pdf:
        raise Http404
    return _pdf(bytes(quote.document_pdf), f"{quote.number}.pdf")


@never_cache  # a client's contract and amounts: kept in no cache (issue 8)
def invoice_public(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link in the email: view the invoice and download it, without an account."""
    try:
        invoice = services.invoice_from_token(token)
    except services.InvoiceLinkInvalid as exc:
        return render(request, "invoicing/invoice_public.html", {"error": str(exc)}, status=404)
    services.invoice_mark_viewed(invoice=invoice)
    if request.GET.get("download"):
        from maille.invoicing.documents import invoice_pdf as render_pdf

        return _pdf(render_pdf(invoice), f"{invoice.number}.pdf", inline=False)
    return render(
        request,
        "invoicing/invoice_public.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "taxes": invoice.taxes.all(),
            "balance_due": selectors.balance_due(invoice),
            "token": token,
        },
    )
