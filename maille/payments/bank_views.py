"""Bank pages for staff: accounts, imports (with progress), the matching queue,
a line's manual match, reconciliation. Everyone else gets a 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maille.clients.models import Client
from maille.core.audit import audit_trail
from maille.core.exceptions import DomainError
from maille.core.http import acting_user
from maille.core.views import paginate, staff_required
from maille.invoicing.models import OPEN_STATUSES, Invoice, InvoiceKind
from maille.invoicing.settlement import open_amount
from maille.ledger.selectors import balance
from maille.payments import bank, bank_accounts, selectors
from maille.payments.exceptions import PaymentsError
from maille.payments.forms import (
    BankAccountForm,
    ImportForm,
    MappingForm,
    OtherForm,
    ReconcileForm,
)
from maille.payments.member_shares import share_payment_handler
from maille.payments.models import (
    BankAccount,
    BankLine,
    ImportStatus,
    LineStatus,
    Payment,
    StatementImport,
)
from maille.payments.parsers import MAX_BYTES
from maille.payments.tasks import queue_rematch_run, statement_import_run
from maille.payments.views import _allocations


def _problems(request: HttpRequest, exc: DomainError) -> None:
    for problem in getattr(exc, "problems", [str(exc)]):
        messages.error(request, problem)


@staff_required
def bank_account_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for account in selectors.bank_account_list():
        counts = dict(
            account.lines.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        view = bank.reconciliation_view(account=account, to=timezone.localdate())
        rows.append((account, counts, view))
    return render(request, "payments/bank_accounts.html", {"rows": rows})


def _admin_only(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise Http404


@staff_required
def bank_account_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Declare a bank account, or change one: administrators only (staff get 404)."""
    _admin_only(request)
    account = get_object_or_404(BankAccount, pk=pk) if pk is not None else None
    initial: dict[str, Any] = {"currency": "CAD", "is_active": True}
    if account is not None:
        initial = {name: getattr(account, name) for name in bank_accounts.BANK_ACCOUNT_FIELDS}
        initial["ledger_account"] = account.ledger_account_id
    form = BankAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = bank_accounts.bank_account_save(
                account=account,
                data=data,
                ledger_account=data.pop("ledger_account"),
                acting_user=acting_user(request),
            )
        except PaymentsError as exc:
            for problem in getattr(exc, "problems", [str(exc)]):
                form.add_error(None, problem)
        else:
            messages.success(request, _("Bank account saved."))
            return redirect(saved)
    return render(request, "payments/bank_account_form.html", {"account": account, "form": form})


@staff_required
def bank_account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(selectors.bank_account_list(), pk=pk)
    return render(
        request,
        "payments/bank_account.html",
        {
            "account": account,
            "imports": account.imports.all()[:50],
            "form": ImportForm(),
            "reconcile_form": ReconcileForm(initial={"to": timezone.localdate()}),
            "reconciliations": account.reconciliations.all()[:24],
            "ledger_balance": balance(account=account.ledger_account.code),
        },
    )


@staff_required
@require_POST
def statement_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the file and import it in a task; the import's page shows its progress."""
    account = get_object_or_404(BankAccount, pk=pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a statement file."))
        return redirect(account)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:
        messages.error(request, _("The file is larger than %(n)s MB.") % {"n": MAX_BYTES // 2**20})
        return redirect(account)
    fmt = form.cleaned_data["format"]
    record = StatementImport.objects.create(
        bank_account=account,
        filename=upload.name[:255],
        sha256="",
        format="" if fmt == "auto" else fmt,
        status=ImportStatus.RUNNING,
        imported_by=acting_user(request),
    )
    record.file.save(upload.name, upload, save=True)
    transaction.on_commit(lambda: statement_import_run.enqueue(import_id=record.pk))
    return redirect(record)


@staff_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(StatementImport.objects.select_related("bank_account"), pk=pk)
    template = "payments/import_detail.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#progress"
    return render(request, template, {"record": record})


@staff_required
def line_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in LineStatus.values:
        status = ""
    search = request.GET.get("q", "").strip()[:100]
    qs = selectors.bank_line_list(status=status, search=search)
    if not status:
        qs = qs.filter(status__in=[LineStatus.SUGGESTED, LineStatus.UNMATCHED])
    counts = dict(
        BankLine.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return render(
        request,
        "payments/queue.html",
        {"page": paginate(request, qs, 100), "status": status, "q": search, "counts": counts},
    )


@staff_required
@require_POST
def lines_confirm(request: HttpRequest) -> HttpResponse:
    """Confirm the proposals ticked in the queue (``line-<id>`` = the version seen)."""
    pairs = []
    for key in request.POST:
        if key.startswith("line-") and key[5:].isdigit():
            raw = str(request.POST.get(key, ""))
            if raw.isdigit():
                pairs.append((int(key[5:]), int(raw)))
    lines = {line.pk: line for line in BankLine.objects.filter(pk__in=[p for p, _v in pairs])}
    done, problems = bank.lines_confirm_many(
        lines=[(lines[p], v) for p, v in pairs if p in lines], acting_user=acting_user(request)
    )
    if done:
        messages.success(request, _("%(n)s proposals confirmed.") % {"n": done})
    for problem in problems:
        messages.error(request, problem)
    return redirect("payments:queue")


@staff_required
@require_POST
def queue_rematch(request: HttpRequest) -> HttpResponse:
    """Match the queue again, in a task (a large queue takes a while)."""
    user = acting_user(request)
    transaction.on_commit(
        lambda: queue_rematch_run.enqueue(account_id=None, user_id=user.pk if user else None)
    )
    messages.success(request, _("The queue is being matched again: reload the page in a moment."))
    return redirect("payments:queue")


@staff_required
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(
        BankLine.objects.select_related("bank_account__ledger_account", "payment", "entry"), pk=pk
    )
    context: dict[str, Any] = {"line": line, "other_form": OtherForm(), "audit": audit_trail(line)}
    client = None
    if (raw := request.GET.get("client", "")).isdigit():
        client = get_object_or_404(Client, pk=int(raw))
    elif line.proposal.get("client"):
        client = Client.objects.filter(pk=line.proposal["client"]).first()
    search = request.GET.get("q", "").strip()[:100]
    if search:
        context["clients"] = Client.objects.filter(legal_name__icontains=search).order_by(
            "legal_name"
        )[:20]
        context["invoices_found"] = Invoice.objects.filter(
            Q(number__icontains=search) | Q(client__legal_name__icontains=search),
            kind=InvoiceKind.INVOICE,
            status__in=OPEN_STATUSES,
        ).select_related("client")[:20]
    proposed = {int(r["invoice"]): Decimal(r["amount"]) for r in line.proposal.get("invoices", [])}
    if client is not None:
        invoices = Invoice.objects.filter(
            client=client, kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES
        ).order_by("due_date", "pk")[:100]
        context["client"] = client
        context["rows"] = [(i, open_amount(i), proposed.get(i.pk)) for i in invoices]
    if line.amount > 0 and line.status in (LineStatus.UNMATCHED, LineStatus.SUGGESTED):
        context["payments"] = Payment.objects.filter(
            amount=line.amount,
            reversed_on__isnull=True,
            bank_lines__isnull=True,
            date__range=(line.date - dt.timedelta(days=30), line.date + dt.timedelta(days=3)),
        ).select_related("client")[:10]
    handler = share_payment_handler()
    if handler is not None and line.amount > 0:
        context["members_owing"] = handler.members_owing()
    context["search"] = search
    return render(request, "payments/line_detail.html", context)


@staff_required
@require_POST
def line_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    line = get_object_or_404(BankLine, pk=pk)
    raw_version = str(request.POST.get("version", ""))
    version = int(raw_version) if raw_version.isdigit() else None
    try:
        if action == "confirm":
            bank.line_confirm(line=line, acting_user=user, expected_version=version)
        elif action == "invoices":
            raw = str(request.POST.get("client", ""))
            client = get_object_or_404(Client, pk=int(raw)) if raw.isdigit() else None
            if client is None:
                raise PaymentsError(_("Choose the client who paid."))
            bank.line_match_invoices(
                line=line,
                client=client,
                allocations=_allocations(request, client),
                acting_user=user,
                expected_version=version,
            )
        elif action == "payment":
            raw = str(request.POST.get("payment", ""))
            payment = get_object_or_404(Payment, pk=int(raw) if raw.isdigit() else 0)
            bank.line_match_payment(
                line=line, payment=payment, acting_user=user, expected_version=version
            )
        elif action == "other":
            form = OtherForm(request.POST)
            if not form.is_valid():
                raise PaymentsError(_("Say what this line is."))
            bank.line_mark_other(
                line=line,
                kind=form.cleaned_data["kind"],
                transfer_account=form.cleaned_data["transfer_account"],
                acting_user=user,
                expected_version=version,
            )
        elif action == "shares":
            raw = str(request.POST.get("member", ""))
            if not raw.isdigit():
                raise PaymentsError(_("Choose the member whose shares this deposit pays."))
            bank.line_match_shares(
                line=line, member_id=int(raw), acting_user=user, expected_version=version
            )
        elif action == "unmatch":
            bank.line_unmatch(
                line=line,
                acting_user=user,
                expected_version=version,
                reason=str(request.POST.get("reason", ""))[:300],
            )
        else:
            raise Http404
    except DomainError as exc:  # a refusal of payments, or of the app a share payment goes to
        _problems(request, exc)
        status = getattr(exc, "http_status", 422)
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(str(exc), status=status)
    else:
        messages.success(request, _("Bank line updated."))
    return redirect(line)


@staff_required
def csv_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(BankAccount, pk=pk)
    form = MappingForm(request.POST or None, initial=account.csv_mapping or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank_accounts.bank_account_mapping_save(
                account=account, mapping=dict(form.cleaned_data), acting_user=acting_user(request)
            )
        except PaymentsError as exc:
            for problem in getattr(exc, "problems", [str(exc)]):
                form.add_error(None, problem)
        else:
            messages.success(request, _("Column mapping saved."))
            return redirect(account)
    return render(request, "payments/mapping.html", {"account": account, "form": form})


@staff_required
def reconcile(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(selectors.bank_account_list(), pk=pk)
    form = ReconcileForm(request.POST or request.GET or None)
    view = None
    if form.is_valid():
        to, closing = form.cleaned_data["to"], form.cleaned_data["closing_balance"]
        if request.method == "POST":
            try:
                bank.reconcile(
                    account=account,
                    to=to,
                    acting_user=acting_user(request),
                    closing_balance=closing,
                )
            except PaymentsError as exc:
                _problems(request, exc)
            else:
                messages.success(request, _("Reconciled and locked up to %(d)s.") % {"d": to})
                return redirect(account)
        view = bank.reconciliation_view(account=account, to=to, closing_balance=closing)
    return render(
        request, "payments/reconcile.html", {"account": account, "form": form, "view": view}
    )
