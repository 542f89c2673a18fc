"""The API for payments and bank lines (staff), and payments as members and clients see them.

- ``GET /payments``: scoped (a member: payments on their invoices, only those
  allocations; a client contact: their company's); ``POST /payments`` (staff)
  records a payment with its allocations; ``POST /payments/{id}/reverse``.
- ``POST /bank-imports`` (multipart: ``file``, ``account`` = ledger code,
  ``format``): the same counts as ``maille bank import --json``.
- ``GET /bank-lines?status=…``; ``POST /bank-lines/{id}/match`` (confirm the
  proposal, allocate to invoices — a split —, link a payment, or mark as
  something else); ``POST /bank-lines/{id}/unmatch``. A line changed by
  someone else since ``version`` answers 409.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from maille.clients.models import Client
from maille.core.http import acting_user
from maille.core.schemas import ErrorOut, Id, Money, Pagination, Text100, Text200, Text300
from maille.invoicing.models import Invoice
from maille.payments import bank, selectors, services
from maille.payments.exceptions import PaymentRefused
from maille.payments.importing import statement_import
from maille.payments.models import BankAccount, BankLine, Payment
from maille.payments.parsers import MAX_BYTES

router = Router(tags=["payments"])


def _staff(request: HttpRequest) -> None:
    if not acting_user(request, staff_or_member=False).is_staff:
        raise PermissionDenied


class AllocationIn(Schema):
    invoice_id: Id
    amount: Money


class PaymentIn(Schema):
    account: Text100 = Field("1000", description="the bank account's ledger code")
    client_id: Id | None = None
    date: dt.date
    amount: Money
    method: Literal["transfer", "interac", "cheque", "cash", "other"]
    payer_name: Text200 = ""
    bank_reference: Text100 = ""
    allocations: list[AllocationIn] = Field(default_factory=list, max_length=500)


class AllocationOut(Schema):
    invoice_id: int
    invoice_number: str
    date: dt.date
    amount: Money


class PaymentOut(Schema):
    id: int
    date: dt.date
    amount: Money | None
    method: str
    client_id: int | None
    payer_name: str
    bank_reference: str
    reversed_on: dt.date | None
    allocations: list[AllocationOut]


class ReverseIn(Schema):
    date: dt.date
    reason: Text300


def _out(request: HttpRequest, payment: Payment) -> PaymentOut:
    user = acting_user(request, staff_or_member=False)
    rows = selectors.allocations_visible(user=user, payment=payment)
    return PaymentOut(
        id=payment.pk,
        date=payment.date,
        # A member sees what was paid on their invoices, not the whole payment.
        amount=payment.amount if (user.is_staff or user.is_client_contact) else None,
        method=payment.method,
        client_id=payment.client_id,
        payer_name=payment.payer_name if user.is_staff else "",
        bank_reference=payment.bank_reference if user.is_staff else "",
        reversed_on=payment.reversed_on,
        allocations=[
            AllocationOut(
                invoice_id=a.invoice_id,
                invoice_number=a.invoice.number or "",
                date=a.date,
                amount=a.amount,
            )
            for a in rows
        ],
    )


@router.get("/payments", response=list[PaymentOut], summary="Payments (scoped to the caller)")
@paginate(Pagination)
def payments_list(request: HttpRequest, invoice_id: Id | None = None) -> list[PaymentOut]:
    user = acting_user(request, staff_or_member=False)
    qs = selectors.payment_list(user=user).prefetch_related("allocations__invoice")
    if invoice_id is not None:
        qs = qs.filter(allocations__invoice_id=invoice_id).distinct()
    return [_out(request, p) for p in qs[:1000]]


@router.get("/payments/{payment_id}", response={200: PaymentOut, 404: ErrorOut})
def payments_get(request: HttpRequest, payment_id: Id) -> PaymentOut:
    user = acting_user(request, staff_or_member=False)
    return _out(request, selectors.payment_get(user=user, pk=payment_id))


@router.post(
    "/payments",
    response={201: PaymentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a payment with its allocations (staff); the rest is the client's credit",
)
def payments_create(request: HttpRequest, payload: PaymentIn) -> tuple[int, PaymentOut]:
    _staff(request)
    account = selectors.bank_account_by_code(payload.account)
    if account is None:
        raise PaymentRefused([_("There is no bank account %(c)s.") % {"c": payload.account}])
    client = get_object_or_404(Client, pk=payload.client_id) if payload.client_id else None
    invoices = {
        i.pk: i for i in Invoice.objects.filter(pk__in=[a.invoice_id for a in payload.allocations])
    }
    missing = [a.invoice_id for a in payload.allocations if a.invoice_id not in invoices]
    if missing:
        raise Http404
    payment = services.payment_record(
        bank_account=account,
        client=client,
        date=payload.date,
        amount=payload.amount,
        method=payload.method,
        acting_user=acting_user(request),
        allocations=[
            services.AllocationSpec(invoices[a.invoice_id], a.amount) for a in payload.allocations
        ],
        payer_name=payload.payer_name,
        bank_reference=payload.bank_reference,
    )
    return 201, _out(request, payment)


@router.post(
    "/payments/{payment_id}/reverse",
    response={200: PaymentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Reverse a payment (bounced cheque, NSF): what it settled is owed again",
)
def payments_reverse(request: HttpRequest, payment_id: Id, payload: ReverseIn) -> PaymentOut:
    _staff(request)
    payment = get_object_or_404(Payment, pk=payment_id)
    services.payment_reverse(
        payment=payment, date=payload.date, reason=payload.reason, acting_user=acting_user(request)
    )
    payment.refresh_from_db()
    return _out(request, payment)


# --- The bank (staff) ---------------------------------------------------------


FormatName = Literal["auto", "ofx", "qfx", "camt053", "csv-desjardins", "csv-rbc", "csv"]


class ImportOut(Schema):
    id: int | None
    lines: int
    new: int
    duplicates: int
    matched: int
    suggested: int
    unmatched: int


@router.post(
    "/bank-imports",
    response={201: ImportOut, 200: ImportOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Import a statement file (OFX, QFX, CAMT.053, Desjardins/RBC/mapped CSV)",
)
def bank_imports_create(
    request: HttpRequest,
    file: File[UploadedFile],
    account: str = Form("1000", max_length=100),  # type: ignore[type-arg]
    format: FormatName = Form("auto"),  # type: ignore[type-arg]  # noqa: B008
) -> tuple[int, ImportOut]:
    _staff(request)
    bank_account = selectors.bank_account_by_code(account)
    if bank_account is None:
        raise Http404
    if (file.size or 0) > MAX_BYTES:
        raise PaymentRefused([_("The file is larger than %(n)s MB.") % {"n": MAX_BYTES // 2**20}])
    result = statement_import(
        bank_account=bank_account,
        data=file.read(),
        filename=file.name or "statement",
        acting_user=acting_user(request),
        fmt=format,
    )
    out = ImportOut(id=result.statement.pk if result.statement else None, **result.as_dict())
    return (201 if result.new else 200), out


class BankLineOut(Schema):
    id: int
    account: str
    date: dt.date
    amount: Money
    description: str
    payer_name: str
    reference: str
    remittance: str
    status: str
    reason: str
    proposal: dict[str, object]
    payment_id: int | None
    version: int

    @staticmethod
    def resolve_account(obj: BankLine) -> str:
        return obj.bank_account.ledger_account.code


@router.get("/bank-lines", response=list[BankLineOut], summary="Bank lines (staff), by status")
@paginate(Pagination)
def bank_lines_list(
    request: HttpRequest,
    status: Literal["", "unmatched", "suggested", "matched", "other"] = "",
    account: Text100 = "",
    q: Text100 = "",
) -> QuerySet[BankLine]:
    _staff(request)
    bank_account: BankAccount | None = None
    if account:
        bank_account = selectors.bank_account_by_code(account)
        if bank_account is None:
            raise Http404
    return selectors.bank_line_list(
        bank_account=bank_account, status=status, search=q
    ).select_related("bank_account__ledger_account")


class MatchIn(Schema):
    version: int = Field(ge=0, description="the line's version as read: 409 if it moved")
    action: Literal["confirm", "invoices", "payment", "other"]
    client_id: Id | None = None
    allocations: list[AllocationIn] = Field(default_factory=list, max_length=500)
    payment_id: Id | None = None
    kind: Literal["", "fees", "interest", "transfer", "shares"] = ""
    transfer_account: Text100 = ""
    member_id: Id | None = Field(None, description="kind shares: the member whose shares it pays")


class UnmatchIn(Schema):
    version: int = Field(ge=0)
    reason: Text300 = ""


@router.post(
    "/bank-lines/{line_id}/match",
    response={200: BankLineOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Confirm the proposal, allocate (split) to invoices, link a payment, or mark as other",
)
def bank_lines_match(request: HttpRequest, line_id: Id, payload: MatchIn) -> BankLine:
    _staff(request)
    user = acting_user(request)
    line = get_object_or_404(BankLine, pk=line_id)
    if payload.action == "confirm":
        bank.line_confirm(line=line, acting_user=user, expected_version=payload.version)
    elif payload.action == "invoices":
        client = get_object_or_404(Client, pk=payload.client_id or 0)
        invoices = {
            i.pk: i
            for i in Invoice.objects.filter(pk__in=[a.invoice_id for a in payload.allocations])
        }
        if len(invoices) != len({a.invoice_id for a in payload.allocations}):
            raise Http404
        bank.line_match_invoices(
            line=line,
            client=client,
            allocations=[
                services.AllocationSpec(invoices[a.invoice_id], Decimal(a.amount))
                for a in payload.allocations
            ],
            acting_user=user,
            expected_version=payload.version,
        )
    elif payload.action == "payment":
        payment = get_object_or_404(Payment, pk=payload.payment_id or 0)
        bank.line_match_payment(
            line=line, payment=payment, acting_user=user, expected_version=payload.version
        )
    elif payload.kind == "shares" and payload.member_id is not None:
        bank.line_match_shares(
            line=line,
            member_id=payload.member_id,
            acting_user=user,
            expected_version=payload.version,
        )
    else:
        other = (
            selectors.bank_account_by_code(payload.transfer_account)
            if payload.transfer_account
            else None
        )
        bank.line_mark_other(
            line=line,
            kind=payload.kind,
            transfer_account=other,
            acting_user=user,
            expected_version=payload.version,
        )
    return BankLine.objects.select_related("bank_account__ledger_account").get(pk=line.pk)


@router.post(
    "/bank-lines/{line_id}/unmatch",
    response={200: BankLineOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Undo a match (a payment made from the line is reversed; nothing is deleted)",
)
def bank_lines_unmatch(request: HttpRequest, line_id: Id, payload: UnmatchIn) -> BankLine:
    _staff(request)
    line = get_object_or_404(BankLine, pk=line_id)
    bank.line_unmatch(
        line=line,
        acting_user=acting_user(request),
        expected_version=payload.version,
        reason=payload.reason,
    )
    return BankLine.objects.select_related("bank_account__ledger_account").get(pk=line.pk)
