"""API for invoices, credit notes and a tax preview, scoped like the pages.

Money is a string with two decimals (``"1149.75"``). Members draft; staff
issue. Issuing answers 409 when the invoice is already issued and 422 with
every problem when it cannot be issued.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal, Self

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from maille.clients.selectors import client_get
from maille.contracts import selectors as quote_selectors
from maille.contracts.api import DocumentLineIn, Percent, line_fields, typed_lines
from maille.core.http import acting_user
from maille.core.schemas import ErrorOut, Id, LongText, Money, Pagination, Text100, Text200, Text300
from maille.documents.drafting import LATE_INTEREST_RATE_MAX, PAYMENT_TERM_DAYS_MAX
from maille.invoicing import selectors, services
from maille.invoicing.models import Invoice
from maille.members.selectors import activity_get
from maille.taxes import sales as taxes

router = Router(tags=["invoices"])


class InvoiceLineOut(Schema):
    id: int
    description: str
    quantity: str
    unit: str
    unit_price: Money
    amount: Money
    tax_treatment: str
    treatment_reason: str


class InvoiceTaxOut(Schema):
    code: str
    rate: str
    base: Money
    amount: Money

    @classmethod
    def of(cls, tax: Any) -> Self:
        """A stored tax of an invoice, or one of a preview's."""
        return cls(code=tax.code, rate=format(tax.percent, "f"), base=tax.base, amount=tax.amount)


class InvoiceOut(Schema):
    id: int
    kind: str
    status: str
    number: str | None
    activity_id: int
    client_id: int | None
    buyer_activity_id: int | None
    quote_id: int | None
    quote_mode: str
    has_accepted_quote: bool
    corrects_id: int | None
    reason: str
    language: str
    title: str
    issue_date: dt.date | None
    due_date: dt.date | None
    place_of_supply: str
    abroad_decision: str
    subtotal: Money
    tax_total: Money
    total: Money
    amount_paid: Money
    balance_due: Money
    taxes: list[InvoiceTaxOut]
    lines: list[InvoiceLineOut]
    sent_at: dt.datetime | None
    viewed_at: dt.datetime | None

    @staticmethod
    def resolve_balance_due(obj: Invoice) -> Decimal:
        return selectors.balance_due(obj)

    @staticmethod
    def resolve_taxes(obj: Invoice) -> list[InvoiceTaxOut]:
        return [InvoiceTaxOut.of(t) for t in obj.taxes.all()]

    @staticmethod
    def resolve_lines(obj: Invoice) -> list[InvoiceLineOut]:
        return [InvoiceLineOut(id=line.pk, **line_fields(line)) for line in obj.lines.all()]


class InvoiceIn(Schema):
    activity_id: Id
    client_id: Id | None = None
    buyer_activity_id: Id | None = None
    lines: list[DocumentLineIn] = Field(..., min_length=1, max_length=200)
    title: Text200 = ""
    client_reference: Text100 = ""
    notes: LongText = ""
    payment_term_days: int | None = Field(None, ge=0, le=PAYMENT_TERM_DAYS_MAX)
    late_interest_rate: Percent | None = Field(None, ge=0, le=LATE_INTEREST_RATE_MAX)
    language: Literal["fr", "en"] | None = None


class InvoicePatch(Schema):
    lines: list[DocumentLineIn] | None = Field(None, min_length=1, max_length=200)
    title: Text200 | None = None
    client_reference: Text100 | None = None
    notes: LongText | None = None
    payment_term_days: int | None = Field(None, ge=0, le=PAYMENT_TERM_DAYS_MAX)
    late_interest_rate: Percent | None = Field(None, ge=0, le=LATE_INTEREST_RATE_MAX)
    abroad_decision: Literal["", "zero_rated", "taxable"] | None = None


class FromQuoteIn(Schema):
    quote_id: Id
    mode: Literal["whole", "deposit", "milestone", "balance"] = "whole"
    percent: Percent | None = Field(None, gt=0, le=100)
    milestone_id: Id | None = None


class CreditLineIn(Schema):
    line_id: Id
    amount: Money = Field(..., gt=0)


class CreditNoteIn(Schema):
    reason: Text300
    lines: list[CreditLineIn] | None = Field(None, min_length=1, max_length=200)


class TaxPreviewIn(Schema):
    client_id: Id | None = None
    internal: bool = False
    lines: list[DocumentLineIn] = Field(..., min_length=1, max_length=200)
    date: dt.date | None = None
    abroad_decision: Literal["", "zero_rated", "taxable"] = ""


class TaxPreviewOut(Schema):
    place_of_supply: str
    regime: str
    needs_review: bool
    subtotal: Money
    taxes: list[InvoiceTaxOut]
    tax_total: Money
    total: Money


@router.get("/invoices", response=list[InvoiceOut], summary="Invoices and credit notes")
@paginate(Pagination)
def invoices_list(
    request: HttpRequest,
    status: Literal["", "draft", "issued", "partially_paid", "paid", "written_off"] = "",
    kind: Literal["", "invoice", "credit_note"] = "",
    client_id: Id | None = None,
    activity_id: Id | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    overdue: bool = False,
) -> QuerySet[Invoice]:
    filters = selectors.InvoiceFilters(
        status=status,
        kind=kind,
        client_id=client_id,
        activity_id=activity_id,
        date_from=date_from,
        date_to=date_to,
        overdue=overdue,
    )
    return (
        selectors.with_credited(selectors.invoice_list(user=acting_user(request), filters=filters))
        .order_by("-issue_date", "-id")
        .prefetch_related("lines", "taxes")
    )


@router.post(
    "/invoices/from-quote",
    response={201: InvoiceOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Draft an invoice from an accepted quote: whole, deposit, milestone, balance",
)
def invoices_from_quote(request: HttpRequest, payload: FromQuoteIn) -> tuple[int, Invoice]:
    user = acting_user(request)
    quote = quote_selectors.quote_get(user=user, pk=payload.quote_id)
    milestone = None
    if payload.milestone_id is not None:
        milestone = quote.milestones.filter(pk=payload.milestone_id).first()
        if milestone is None:
            raise Http404
    invoice = services.invoice_create_from_quote(
        quote=quote,
        acting_user=user,
        mode=payload.mode,
        percent=payload.percent,
        milestone=milestone,
    )
    return 201, invoice


@router.get("/invoices/{invoice_id}", response={200: InvoiceOut, 404: ErrorOut})
def invoices_get(request: HttpRequest, invoice_id: Id) -> Invoice:
    return selectors.invoice_get(user=acting_user(request), pk=invoice_id)


@router.post(
    "/invoices",
    response={201: InvoiceOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Draft an invoice to a client (no accepted quote) or to another activity",
)
def invoices_create(request: HttpRequest, payload: InvoiceIn) -> tuple[int, Invoice]:
    user = acting_user(request)
    activity = activity_get(user=user, pk=payload.activity_id)
    if (payload.client_id is None) == (payload.buyer_activity_id is None):
        raise HttpError(422, _("Give client_id or buyer_activity_id, not both."))
    data = payload.dict(
        exclude={"activity_id", "client_id", "buyer_activity_id", "lines"}, exclude_none=True
    )
    if payload.buyer_activity_id is not None:
        buyer = selectors.internal_buyers().filter(pk=payload.buyer_activity_id).first()
        if buyer is None:
            raise Http404
        invoice = services.invoice_create_internal(
            activity=activity,
            buyer_activity=buyer,
            acting_user=user,
            lines=[line.line() for line in payload.lines],
            **data,
        )
    else:
        client = client_get(user=user, pk=payload.client_id or 0)
        invoice = services.invoice_create(
            activity=activity,
            client=client,
            acting_user=user,
            lines=[line.line() for line in payload.lines],
            **data,
        )
    return 201, invoice


@router.patch(
    "/invoices/{invoice_id}",
    response={200: InvoiceOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Change a draft (an issued invoice never changes: 409)",
)
def invoices_patch(request: HttpRequest, invoice_id: Id, payload: InvoicePatch) -> Invoice:
    user = acting_user(request)
    invoice = selectors.invoice_get(user=user, pk=invoice_id)
    data = payload.dict(exclude_unset=True, exclude_none=True)
    lines = typed_lines(payload.lines) if payload.lines is not None else None
    data.pop("lines", None)
    return services.invoice_update(invoice=invoice, acting_user=user, lines=lines, **data)


@router.delete(
    "/invoices/{invoice_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Discard a draft (its author or staff; an issued invoice is never deleted: 409)",
)
def invoices_discard(request: HttpRequest, invoice_id: Id) -> tuple[int, None]:
    user = acting_user(request)
    invoice = selectors.invoice_get(user=user, pk=invoice_id)
    services.invoice_discard(invoice=invoice, acting_user=user)
    return 204, None


@router.post(
    "/invoices/{invoice_id}/issue",
    response={200: InvoiceOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Issue a draft: number, taxes, ledger (staff)",
)
def invoices_issue(
    request: HttpRequest, invoice_id: Id, issue_date: dt.date | None = None
) -> Invoice:
    user = acting_user(request)
    invoice = selectors.invoice_get(user=user, pk=invoice_id)
    return services.invoice_issue(invoice=invoice, acting_user=user, issue_date=issue_date)


@router.post(
    "/invoices/{invoice_id}/credit-notes",
    response={201: InvoiceOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Draft a credit note, whole or for amounts per line (staff)",
)
def invoices_credit(
    request: HttpRequest, invoice_id: Id, payload: CreditNoteIn
) -> tuple[int, Invoice]:
    user = acting_user(request)
    invoice = selectors.invoice_get(user=user, pk=invoice_id)
    amounts = None
    if payload.lines is not None:
        amounts = {}
        for i, line in enumerate(payload.lines):
            if line.line_id in amounts:  # a dict would keep one of them silently
                raise DjangoValidationError(
                    {
                        f"lines.{i}.line_id": [
                            _("Line %(id)s is named twice: give each line once, with its amount.")
                            % {"id": line.line_id}
                        ]
                    }
                )
            amounts[line.line_id] = Decimal(line.amount)
    note = services.credit_note_create(
        invoice=invoice,
        acting_user=user,
        reason=payload.reason,
        amounts=amounts,
    )
    return 201, note


@router.post(
    "/invoices/{invoice_id}/send",
    response={202: None, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Email the invoice to the client's contacts (after commit; staff)",
)
def invoices_send(request: HttpRequest, invoice_id: Id) -> tuple[int, None]:
    user = acting_user(request)
    services.invoice_send(
        invoice=selectors.invoice_get(user=user, pk=invoice_id),
        acting_user=user,
    )
    return 202, None


@router.get(
    "/invoices/{invoice_id}/ubl",
    response={200: None, 404: ErrorOut},
    summary="The issued invoice as UBL 2.1 (Peppol BIS Billing 3.0)",
)
def invoices_ubl(request: HttpRequest, invoice_id: Id) -> HttpResponse:
    from maille.invoicing.einvoice import ubl_xml

    invoice = selectors.invoice_get(user=acting_user(request), pk=invoice_id)
    if invoice.is_draft:
        raise Http404
    return HttpResponse(ubl_xml(invoice), content_type="application/xml")


@router.post(
    "/tax-preview",
    response={200: TaxPreviewOut, 404: ErrorOut, 422: ErrorOut},
    summary="The taxes lines would carry; writes nothing",
)
def tax_preview(request: HttpRequest, payload: TaxPreviewIn) -> dict[str, object]:
    user = acting_user(request)
    client = None
    if payload.client_id is not None:
        client = client_get(user=user, pk=payload.client_id)
    elif not payload.internal:
        raise HttpError(422, _("Give client_id, or internal: true."))
    try:
        result = services.tax_preview(
            client=client,
            lines=[line.line() for line in payload.lines],
            on=payload.date,
            abroad_decision=payload.abroad_decision,
            internal=payload.internal,
        )
    except taxes.TaxError as exc:
        messages = {
            "no_province": _("A Canadian client needs a province: it decides the sales taxes."),
            "unknown_province": _("Unknown province."),
            "no_rate": _("No sales tax rate is known for %(d)s.") % {"d": payload.date},
        }
        raise HttpError(422, messages.get(exc.code, _("This value is not valid."))) from exc
    return {
        "place_of_supply": result.place,
        "regime": str(result.regime),
        "needs_review": result.needs_review,
        "subtotal": result.subtotal,
        "taxes": [InvoiceTaxOut.of(t) for t in result.taxes],
        "tax_total": result.tax_total,
        "total": result.total,
    }
