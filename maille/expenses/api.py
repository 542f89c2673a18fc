"""The API of expense claims and supplier invoices.

- ``POST /expenses`` (multipart form data: ``activity_id``, ``date``,
  ``supplier``, ``category``, ``amount`` taxes included, ``gst_hst``, ``qst``
  — left out, they are proposed from the amount and ``supplier_province`` —,
  ``supplier_gst_number``, ``supplier_qst_number``, ``description`` and the
  ``receipt`` file): 201 with the claim, or 422 naming each field.
- ``POST /expenses/mileage`` (JSON): kilometres, origin, destination, purpose.
- ``GET /expenses`` (a member: their own; staff: all), ``GET /expenses/{id}``.
- ``POST /expenses/{id}/approve`` and ``/return`` (staff).
- ``POST /purchases`` (multipart form data: the fields of a claim and
  ``invoice_number``, ``due_date``, ``supplier_bank_account``, with the
  supplier's invoice as ``document``, checked like a receipt): 201, or 422
  naming each field. A member enters invoices for their own activities (and
  approves them by doing so); staff for any activity or ``COOP``.
- ``GET /purchases`` (a member: their activities'; staff: all),
  ``GET /purchases/{id}``.
- ``POST /purchases/{id}/approve`` and ``/refuse`` (an owner of the activity,
  or staff), ``POST /purchases/{id}/pay`` (staff: a payment made outside the
  bank file). A second decision is 409.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from maille.core.http import acting_user
from maille.core.schemas import (
    ErrorOut,
    Id,
    Money,
    Pagination,
    Text10,
    Text30,
    Text50,
    Text100,
    Text200,
    Text300,
    Text500,
)
from maille.expenses import selectors, services
from maille.expenses.models import ExpenseClaim, Purchase
from maille.members.models import Activity

router = Router(tags=["expenses"])

#: The API's names of the services' fields.
API_FIELDS = {"activity": "activity_id"}


def _renamed(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({API_FIELDS.get(k, k): v for k, v in exc.error_dict.items()})


class ExpenseOut(Schema):
    id: int
    kind: str
    status: str
    member_number: str
    activity_id: int
    date: dt.date
    supplier: str
    supplier_province: str
    category: str
    description: str
    amount: Money
    gst_hst: Money
    qst: Money
    itc: Money
    itr: Money
    net_cost: Money
    supplier_gst_number: str
    supplier_qst_number: str
    credit_note: str
    km: Decimal | None
    origin: str
    destination: str
    purpose: str
    receipt_url: str | None
    returned_reason: str
    budget_exception: str
    paid_on: dt.date | None


def _cost_fields(spending: ExpenseClaim | Purchase) -> dict[str, Any]:
    """The fields a claim and a supplier invoice show alike: the supplier, the sums, the taxes."""
    return {
        "activity_id": spending.activity_id,
        "date": spending.date,
        "supplier": spending.supplier,
        "supplier_province": spending.supplier_province,
        "category": spending.category,
        "description": spending.description,
        "amount": spending.amount,
        "gst_hst": spending.gst_hst,
        "qst": spending.qst,
        "itc": spending.itc,
        "itr": spending.itr,
        "net_cost": spending.net_cost,
        "supplier_gst_number": spending.supplier_gst_number,
        "supplier_qst_number": spending.supplier_qst_number,
        "credit_note": spending.credit_note,
        "budget_exception": spending.budget_exception,
        "paid_on": spending.paid_on,
    }


def _file_url(spending: ExpenseClaim | Purchase) -> str | None:
    return f"/depenses/justificatifs/{spending.receipt_id}/" if spending.receipt_id else None


def _out(claim: ExpenseClaim) -> ExpenseOut:
    return ExpenseOut(
        id=claim.pk,
        kind=claim.kind,
        status=claim.status,
        member_number=claim.member.number,
        km=claim.km,
        origin=claim.origin,
        destination=claim.destination,
        purpose=claim.purpose,
        receipt_url=_file_url(claim),
        returned_reason=claim.returned_reason,
        **_cost_fields(claim),
    )


def _activity(pk: int | None) -> Activity | None:
    # Someone else's activity is refused by the service as "not one of yours".
    return Activity.objects.filter(pk=pk).first() if pk else None


class ExpenseIn(Schema):
    activity_id: int
    date: dt.date
    supplier: Text200
    category: Text30
    amount: Text30
    gst_hst: Text30 = ""
    qst: Text30 = ""
    supplier_province: Text10 = "QC"
    supplier_gst_number: Text30 = ""
    supplier_qst_number: Text30 = ""
    description: Text500 = ""


def _spending_in(payload: ExpenseIn) -> dict[str, Any]:
    """The services' arguments a claim and a supplier invoice are entered with alike."""
    return {
        "activity": _activity(payload.activity_id),
        "date": payload.date,
        "supplier": payload.supplier,
        "category": payload.category,
        "amount": payload.amount,
        "gst_hst": payload.gst_hst or None,
        "qst": payload.qst or None,
        "supplier_province": payload.supplier_province.upper(),
        "supplier_gst_number": payload.supplier_gst_number,
        "supplier_qst_number": payload.supplier_qst_number,
        "description": payload.description,
    }


@router.post(
    "/expenses",
    response={201: ExpenseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Claim an expense with its receipt (multipart form data)",
)
def expenses_create(
    request: HttpRequest, receipt: File[UploadedFile], payload: Form[ExpenseIn]
) -> tuple[int, ExpenseOut]:
    user = acting_user(request)
    if not user.is_member:
        raise PermissionDenied
    try:
        claim = services.expense_claim_create(
            acting_user=user,
            receipt=receipt.file,
            receipt_name=receipt.name or "",
            **_spending_in(payload),
        )
    except ValidationError as exc:
        raise _renamed(exc) from exc
    return 201, _out(claim)


class MileageIn(Schema):
    activity_id: Id
    date: dt.date
    km: Decimal
    origin: Text200
    destination: Text200
    purpose: Text300


@router.post(
    "/expenses/mileage",
    response={201: ExpenseOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Claim kilometres driven for an activity",
)
def expenses_mileage(request: HttpRequest, payload: MileageIn) -> tuple[int, ExpenseOut]:
    user = acting_user(request)
    if not user.is_member:
        raise PermissionDenied
    try:
        claim = services.mileage_claim_create(
            acting_user=user,
            activity=_activity(payload.activity_id),
            date=payload.date,
            km=payload.km,
            origin=payload.origin,
            destination=payload.destination,
            purpose=payload.purpose,
        )
    except ValidationError as exc:
        raise _renamed(exc) from exc
    return 201, _out(claim)


@router.get("/expenses", response=list[ExpenseOut], summary="Expense claims (scoped)")
@paginate(Pagination)
def expenses_list(request: HttpRequest, status: str = "") -> list[ExpenseOut]:
    user = acting_user(request)
    return [_out(c) for c in selectors.claim_list(user=user, status=status)[:1000]]


@router.get("/expenses/{expense_id}", response={200: ExpenseOut, 404: ErrorOut})
def expenses_get(request: HttpRequest, expense_id: Id) -> ExpenseOut:
    return _out(selectors.claim_get(user=acting_user(request), pk=expense_id))


class ApproveIn(Schema):
    budget_exception: Text300 = ""


class ReturnIn(Schema):
    reason: Text300


@router.post(
    "/expenses/{expense_id}/approve",
    response={200: ExpenseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Approve a claim (staff); a budget exception needs its reason",
)
def expenses_approve(request: HttpRequest, expense_id: Id, payload: ApproveIn) -> ExpenseOut:
    user = acting_user(request)
    claim = selectors.claim_get(user=user, pk=expense_id)
    if not user.is_staff:
        raise PermissionDenied
    return _out(
        services.expense_claim_approve(
            claim=claim, acting_user=user, exception_reason=payload.budget_exception
        )
    )


@router.post(
    "/expenses/{expense_id}/return",
    response={200: ExpenseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Return a claim to its member with a reason (staff)",
)
def expenses_return(request: HttpRequest, expense_id: Id, payload: ReturnIn) -> ExpenseOut:
    user = acting_user(request)
    claim = selectors.claim_get(user=user, pk=expense_id)
    if not user.is_staff:
        raise PermissionDenied
    return _out(services.expense_claim_return(claim=claim, acting_user=user, reason=payload.reason))


class PurchaseOut(Schema):
    id: int
    status: str
    activity_id: int
    supplier: str
    supplier_province: str
    invoice_number: str
    date: dt.date
    due_date: dt.date | None
    category: str
    description: str
    amount: Money
    gst_hst: Money
    qst: Money
    itc: Money
    itr: Money
    net_cost: Money
    supplier_gst_number: str
    supplier_qst_number: str
    credit_note: str
    supplier_bank_account: str  #: masked: the last four digits
    document_url: str | None
    member_approved: bool
    staff_approved: bool
    refused_reason: str
    budget_exception: str
    paid_on: dt.date | None
    payment_reference: str


def _purchase_out(p: Purchase) -> PurchaseOut:
    return PurchaseOut(
        id=p.pk,
        status=p.status,
        invoice_number=p.invoice_number,
        due_date=p.due_date,
        supplier_bank_account=p.supplier_bank_account_masked,
        document_url=_file_url(p),
        member_approved=p.member_approved_at is not None,
        staff_approved=p.staff_approved_at is not None,
        refused_reason=p.refused_reason,
        payment_reference=p.payment_reference,
        **_cost_fields(p),
    )


class PurchaseIn(ExpenseIn):
    invoice_number: Text50
    due_date: dt.date | None = None
    supplier_bank_account: Text30 = ""


@router.post(
    "/purchases",
    response={201: PurchaseOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Enter a supplier invoice with its file (multipart form data)",
)
def purchases_create(
    request: HttpRequest, document: File[UploadedFile], payload: Form[PurchaseIn]
) -> tuple[int, PurchaseOut]:
    user = acting_user(request)
    if not (user.is_member or user.is_staff):
        raise PermissionDenied
    try:
        purchase = services.purchase_create(
            acting_user=user,
            invoice_number=payload.invoice_number,
            due_date=payload.due_date,
            supplier_bank_account=payload.supplier_bank_account,
            document=document.file,
            document_name=document.name or "",
            **_spending_in(payload),
        )
    except ValidationError as exc:
        raise _renamed(exc) from exc
    return 201, _purchase_out(purchase)


@router.get("/purchases", response=list[PurchaseOut], summary="Supplier invoices (scoped)")
@paginate(Pagination)
def purchases_list(request: HttpRequest, status: str = "") -> list[PurchaseOut]:
    user = acting_user(request)
    return [_purchase_out(p) for p in selectors.purchase_list(user=user, status=status)[:1000]]


@router.get("/purchases/{purchase_id}", response={200: PurchaseOut, 404: ErrorOut})
def purchases_get(request: HttpRequest, purchase_id: Id) -> PurchaseOut:
    return _purchase_out(selectors.purchase_get(user=acting_user(request), pk=purchase_id))


@router.post(
    "/purchases/{purchase_id}/approve",
    response={200: PurchaseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Approve a supplier invoice (an owner of its activity, or staff)",
)
def purchases_approve(request: HttpRequest, purchase_id: Id, payload: ApproveIn) -> PurchaseOut:
    user = acting_user(request)
    purchase = selectors.purchase_get(user=user, pk=purchase_id)
    return _purchase_out(
        services.purchase_approve(
            purchase=purchase, acting_user=user, exception_reason=payload.budget_exception
        )
    )


class RefuseIn(Schema):
    reason: Text300


@router.post(
    "/purchases/{purchase_id}/refuse",
    response={200: PurchaseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Refuse a supplier invoice with a reason (an owner of its activity, or staff)",
)
def purchases_refuse(request: HttpRequest, purchase_id: Id, payload: RefuseIn) -> PurchaseOut:
    user = acting_user(request)
    purchase = selectors.purchase_get(user=user, pk=purchase_id)
    return _purchase_out(
        services.purchase_refuse(purchase=purchase, acting_user=user, reason=payload.reason)
    )


class PayIn(Schema):
    paid_on: dt.date
    reference: Text100 = ""


@router.post(
    "/purchases/{purchase_id}/pay",
    response={200: PurchaseOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Record the co-op's payment of an approved supplier invoice (staff)",
)
def purchases_pay(request: HttpRequest, purchase_id: Id, payload: PayIn) -> PurchaseOut:
    user = acting_user(request)
    purchase = selectors.purchase_get(user=user, pk=purchase_id)
    if not user.is_staff:
        raise PermissionDenied
    return _purchase_out(
        services.purchase_pay(
            purchase=purchase,
            acting_user=user,
            paid_on=payload.paid_on,
            reference=payload.reference,
        )
    )
