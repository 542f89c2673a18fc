"""Collection pages: staff's queue and case files, the member's overdue invoices,
the client's portal page, the formal notice's link.

Every page reads through ``selectors`` scoped to the person (404 for anything
else) and writes through one service; a refusal comes back as the service's
messages, each naming its field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from maille.collection import selectors, services
from maille.collection.exceptions import CollectionError
from maille.collection.income import interest_collect, interest_collect_undo
from maille.collection.models import DunningPolicy, FormalNotice, InterestCollected, InvoiceDunning
from maille.collection.writeoff import write_off
from maille.core.exceptions import DomainError
from maille.core.http import acting_user
from maille.core.models import User
from maille.core.views import staff_required
from maille.invoicing.models import Invoice


def _user(request: HttpRequest) -> User:
    return acting_user(request, staff_or_member=False)


def _date(value: str | None, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise CollectionError(_("%(f)s: a date (YYYY-MM-DD) is expected.") % {"f": label}) from exc


def _amount(value: str | None, label: str) -> Decimal:
    text = (value or "").strip().replace(",", ".").replace(" ", "").replace("$", "")
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise CollectionError(_("%(f)s: not an amount.") % {"f": label}) from exc


def _refused(request: HttpRequest, exc: DomainError) -> None:
    for problem in getattr(exc, "problems", None) or [str(exc)]:
        messages.error(request, problem)


def _pdf(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# ---------------------------------------------------------------- staff


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "collection/queue.html",
        {"rows": selectors.case_queue(on=today), "todo": selectors.collection_todo(today=today)},
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if user.is_client_contact and not user.is_staff:
        raise Http404
    case = selectors.case_get(user=user, pk=pk)
    view = selectors.case_view(user=user, case=case)
    return render(request, "collection/case.html", {"view": view, "case": case})


@staff_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get(user=user, pk=pk)
    post = request.POST
    ids = [int(v) for v in post.getlist("invoice") if v.isdigit()]
    try:
        if action == "note":
            services.case_note_add(case=case, text=post.get("text", ""), acting_user=user)
        elif action == "call":
            invoice = Invoice.objects.filter(pk__in=ids[:1], client_id=case.client_id).first()
            services.call_record(
                case=case, invoice=invoice, text=post.get("text", ""), acting_user=user
            )
        elif action == "promise":
            services.promise_make(
                invoice_id=ids[0] if ids else 0,
                promised_on=_date(post.get("promised_on"), _("Date")),
                amount=_amount(post.get("amount"), _("Amount")),
                acting_user=user,
                client_id=case.client_id,
            )
        elif action == "dispute":
            services.dispute_raise(
                invoice_id=ids[0] if ids else 0,
                what=post.get("what", ""),
                raised_by=post.get("raised_by", ""),
                in_writing=bool(post.get("in_writing")),
                acting_user=user,
                client_id=case.client_id,
            )
        elif action == "decide":
            dispute = get_object_or_404(case.disputes, pk=int(post.get("dispute", "0") or 0))
            services.dispute_decide(
                dispute=dispute,
                outcome=post.get("outcome", ""),
                decision=post.get("decision", ""),
                acting_user=user,
            )
        elif action == "plan":
            rows = []
            for n in range(1, 13):
                day, amount = post.get(f"due_{n}", ""), post.get(f"amount_{n}", "")
                if day or amount:
                    label = _("Instalment %(n)s") % {"n": n}
                    rows.append((_date(day, label), _amount(amount, label)))
            services.plan_create(case=case, invoice_ids=ids, instalments=rows, acting_user=user)
        elif action == "notice":
            rate = post.get("interest_rate", "").strip()
            services.formal_notice_issue(
                case=case,
                invoice_ids=ids,
                acting_user=user,
                interest_rate=_amount(rate, _("Interest rate")) if rate else None,
            )
        elif action == "registered":
            from maille.collection.notices import registered_mail_record

            notice = get_object_or_404(case.notices, pk=int(post.get("notice", "0") or 0))
            registered_mail_record(
                notice=notice,
                on=_date(post.get("on"), _("Date")),
                reference=post.get("reference", ""),
                acting_user=user,
            )
        elif action == "lawyer":
            services.lawyer_notice_record(
                case=case,
                on=_date(post.get("on"), _("Date")),
                lawyer_name=post.get("lawyer_name", ""),
                lawyer_email=post.get("lawyer_email", ""),
                acting_user=user,
            )
        elif action == "ack":
            invoice = get_object_or_404(Invoice, pk=ids[0] if ids else 0, client_id=case.client_id)
            services.acknowledgement_record(
                invoice=invoice,
                on=_date(post.get("on"), _("Date")),
                text=post.get("text", ""),
                acting_user=user,
            )
        elif action == "judicial":
            services.judicial_demand_record(
                case=case, on=_date(post.get("on"), _("Date")), acting_user=user
            )
        elif action == "release":
            dunning = get_object_or_404(InvoiceDunning, case=case, invoice_id=ids[0] if ids else 0)
            services.step_release(dunning=dunning, acting_user=user)
        elif action == "interest":
            interest_collect(
                invoice_id=ids[0] if ids else 0,
                payment_id=int(post.get("payment", "0") or 0),
                amount=_amount(post.get("amount"), _("Amount")),
                acting_user=user,
                client_id=case.client_id,
            )
        elif action == "interest_undo":
            row = get_object_or_404(
                InterestCollected, case=case, pk=int(post.get("interest", "0") or 0)
            )
            interest_collect_undo(
                interest_id=row.pk, acting_user=user, reason=post.get("reason", "")
            )
        elif action == "writeoff":
            write_off(
                invoice_id=ids[0] if ids else 0,
                amount=_amount(post.get("amount"), _("Amount")),
                reason=post.get("reason", ""),
                acting_user=user,
                client_id=case.client_id,
            )
        else:
            raise Http404
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("collection:case", pk=case.pk)


@staff_required
def case_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The case file for a lawyer: timeline, invoices, notices and the accepted quotes."""
    from maille.collection.export import case_zip

    case = selectors.case_get(user=_user(request), pk=pk)
    response = HttpResponse(case_zip(case), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="dossier-{case.pk}.zip"'
    return response


@login_required
@never_cache
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from maille.collection.notices import notice_pdf as render_notice
    from maille.documents.marks import mark_viewed

    user = _user(request)
    if not (user.is_staff or user.is_client_contact):
        raise Http404
    notice = selectors.notice_get(user=user, pk=pk)
    if user.is_client_contact:
        mark_viewed(notice)
    return _pdf(render_notice(notice), f"{notice.number}.pdf")


@staff_required
@never_cache
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter of a "letter" step, to print and post (staff)."""
    from maille.collection.letters import letter_stored
    from maille.collection.models import Channel, Reminder

    reminder = get_object_or_404(
        Reminder.objects.select_related("dunning__invoice", "dunning__case__client"),
        pk=pk,
        channel=Channel.LETTER,
    )
    return _pdf(letter_stored(reminder), f"lettre-{reminder.dunning.invoice.number}.pdf")


@staff_required
def recoveries(request: HttpRequest) -> HttpResponse:
    """Recoveries booked (by the daily run or by hand), and payments that may be one."""
    from maille.collection.writeoff import recovery_candidates, recovery_list, recovery_record

    user = _user(request)
    if request.method == "POST":
        try:
            recovery_record(
                invoice_id=int(request.POST.get("invoice", "0") or 0),
                payment_id=int(request.POST.get("payment", "0") or 0),
                amount=_amount(request.POST.get("amount"), _("Amount")),
                acting_user=user,
            )
        except (DomainError, ValueError) as exc:
            if isinstance(exc, DomainError):
                _refused(request, exc)
            else:
                messages.error(request, _("Invoice and payment: choose them in the list."))
        else:
            messages.success(request, _("Recovery booked."))
        return redirect("collection:recoveries")
    return render(
        request,
        "collection/recoveries.html",
        {"rows": recovery_list(), "candidates": recovery_candidates()},
    )


@staff_required
def policy(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    from maille.collection.legal import legal_route
    from maille.collection.models import LegalParameters

    current = DunningPolicy.on(today)
    return render(
        request,
        "collection/policy.html",
        {
            "policy": current,
            "steps": list(current.steps.order_by("position")) if current else [],
            "policies": DunningPolicy.objects.all()[:20],
            "legal": LegalParameters.objects.all()[:20],
            "route": legal_route(principal=Decimal(0), on=today),
        },
    )


@login_required
def aging(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    by = request.GET.get("by", "client")
    if by not in ("client", "member", "activity"):
        by = "client"
    report = selectors.aging(user=user, by=by)
    dso = selectors.dso_series(months=12) if user.is_staff else []
    top = max((p.dso for p in dso if p.dso is not None), default=Decimal(1)) or Decimal(1)
    bars = [(p, f"{(p.dso or 0) * 100 / top:.1f}") for p in dso]
    return render(
        request,
        "collection/aging.html",
        {"report": report, "by": by, "dso": bars, "buckets": selectors.BUCKETS},
    )


# ---------------------------------------------------------------- members


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "collection/mine.html",
        {
            "rows": selectors.member_overdue(user=user),
            "disputes": selectors.member_disputes(user=user),
        },
    )


@login_required
@require_POST
def hold(request: HttpRequest, invoice_id: int) -> HttpResponse:
    user = acting_user(request)
    dunning = selectors.dunning_for(user=user, invoice_id=invoice_id)
    try:
        services.step_hold(dunning=dunning, reason=request.POST.get("reason", ""), acting_user=user)
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The step is held until staff look at it."))
    return redirect("collection:mine")


@login_required
@require_POST
def dispute_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    dispute = selectors.dispute_get(user=user, pk=pk)
    try:
        services.dispute_answer(
            dispute=dispute, answer=request.POST.get("answer", ""), acting_user=user
        )
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Your answer is recorded; staff will decide."))
    return redirect("collection:mine")


# ---------------------------------------------------------------- clients


def _client_case(user: User) -> Any:
    if not user.is_client_contact:
        raise Http404
    return selectors.case_list(user=user).first()


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """The client's overdue invoices, the reminders and notices sent, and two answers."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_client_contact:
        raise Http404
    from maille.invoicing.selectors import balance_due, invoice_list, with_credited

    invoices = list(
        with_credited(invoice_list(user=user).filter(status__in=("issued", "partially_paid")))
        .filter(kind="invoice", due_date__lt=timezone.localdate())
        .order_by("due_date")
    )
    case = _client_case(user)
    view = selectors.case_view(user=user, case=case) if case else None
    return render(
        request,
        "collection/portal.html",
        {"rows": [(i, balance_due(i)) for i in invoices], "view": view},
    )


@login_required
@require_POST
def portal_answer(request: HttpRequest, what: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_client_contact:
        raise Http404
    contact = user.client_contact
    invoice_id = int(request.POST.get("invoice", "0") or 0)
    try:
        if what == "dispute":
            services.dispute_raise(
                invoice_id=invoice_id,
                what=request.POST.get("what", ""),
                raised_by=contact.name,
                acting_user=user,
                client_id=contact.client_id,
            )
            messages.success(request, _("Your dispute is recorded; reminders are on hold."))
        elif what == "promise":
            services.promise_make(
                invoice_id=invoice_id,
                promised_on=_date(request.POST.get("promised_on"), _("Date")),
                amount=_amount(request.POST.get("amount"), _("Amount")),
                acting_user=user,
                by_client=True,
                client_id=contact.client_id,
            )
            messages.success(request, _("Thank you: your promise to pay is recorded."))
        else:
            raise Http404
    except DomainError as exc:
        _refused(request, exc)
    return redirect("collection:portal")


@never_cache
def notice_public(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link in the notice's email: the PDF, and the trace that it was opened."""
    from maille.collection.notices import notice_pdf as render_notice
    from maille.documents.exceptions import LinkInvalid
    from maille.documents.links import document_from_token
    from maille.documents.marks import mark_viewed

    try:
        notice: FormalNotice = document_from_token("formal_notice", token)
    except LinkInvalid as exc:
        return HttpResponse(str(exc), status=404, content_type="text/plain; charset=utf-8")
    mark_viewed(notice)
    return _pdf(render_notice(notice), f"{notice.number}.pdf")
