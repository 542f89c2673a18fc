"""API for quotes and the client's acceptance, scoped like the pages.

Money is a string with two decimals. The acceptance endpoints need no
account: the signed link's token is the credential.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from maille.clients.selectors import client_get
from maille.contracts import selectors, services
from maille.contracts.exceptions import QuoteLinkInvalid
from maille.contracts.lines import LineIn, line_of
from maille.contracts.models import Quote
from maille.core.http import acting_user
from maille.core.money import money_str
from maille.core.schemas import ErrorOut, Id, LongText, Money, Pagination, Text200, Text300
from maille.documents import links
from maille.documents.drafting import LATE_INTEREST_RATE_MAX, PAYMENT_TERM_DAYS_MAX
from maille.members.selectors import activity_get, member_of

router = Router(tags=["quotes"])

Quantity = Annotated[Decimal, Field(max_digits=12, decimal_places=3)]
Percent = Annotated[Decimal, Field(max_digits=5, decimal_places=2)]
UnitCode = Literal["hour", "day", "unit", "flat", "word"]
Treatment = Literal["standard", "zero_rated", "exempt"]


class DocumentLineIn(Schema):
    description: Text300
    quantity: Quantity
    unit: UnitCode = "hour"
    unit_price: Money
    tax_treatment: Treatment = "standard"
    treatment_reason: Text200 = ""

    def line(self) -> LineIn:
        """The typed line the services take (Decimals as read, no text in between)."""
        return line_of(self)


def typed_lines(lines: list[DocumentLineIn] | None) -> list[LineIn] | None:
    return None if lines is None else [line.line() for line in lines]


def line_fields(line: Any) -> dict[str, Any]:
    """What the API shows of a saved line (a quote's, an invoice's)."""
    return {
        "description": line.description,
        "quantity": format(line.quantity.normalize(), "f"),
        "unit": line.unit,
        "unit_price": line.unit_price,
        "amount": line.amount,
        "tax_treatment": line.tax_treatment,
        "treatment_reason": line.treatment_reason,
    }


class QuoteLineOut(Schema):
    description: str
    quantity: str
    unit: str
    unit_price: Money
    amount: Money
    tax_treatment: str
    treatment_reason: str


class QuoteDecisionOut(Schema):
    decision: str
    decided_at: dt.datetime
    signer_name: str
    signer_role: str
    document_sha256: str


class QuoteOut(Schema):
    id: int
    number: str
    status: str
    title: str
    activity_id: int
    client_id: int
    language: str
    quote_date: dt.date
    valid_until: dt.date
    start_date: dt.date | None
    end_date: dt.date | None
    deliverables: str
    payment_term_days: int
    late_interest_rate: str
    ip_option: str
    subtotal: Money
    lines: list[QuoteLineOut]
    document_sha256: str
    decision: QuoteDecisionOut | None

    @staticmethod
    def resolve_late_interest_rate(obj: Quote) -> str:
        return money_str(obj.late_interest_rate)

    @staticmethod
    def resolve_lines(obj: Quote) -> list[QuoteLineOut]:
        return [QuoteLineOut(**line_fields(line)) for line in obj.lines.all()]

    @staticmethod
    def resolve_decision(obj: Quote) -> object:
        return getattr(obj, "decision", None)


class QuoteMilestoneIn(Schema):
    label: Text200
    percent: Percent = Field(..., gt=0, le=100)
    due_date: dt.date | None = None


class QuoteIn(Schema):
    activity_id: Id
    client_id: Id
    title: Text200
    lines: list[DocumentLineIn] = Field(..., min_length=1, max_length=200)
    milestones: list[QuoteMilestoneIn] = Field(default_factory=list, max_length=50)
    quote_date: dt.date | None = None
    valid_until: dt.date | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    deliverables: LongText = ""
    payment_term_days: int | None = Field(None, ge=0, le=PAYMENT_TERM_DAYS_MAX)
    late_interest_rate: Percent | None = Field(None, ge=0, le=LATE_INTEREST_RATE_MAX)
    ip_option: Literal["assignment", "exclusive", "licence"] = "assignment"
    extra_clauses: LongText = ""
    language: Literal["fr", "en"] | None = None


class QuotePatch(Schema):
    title: Text200 | None = None
    lines: list[DocumentLineIn] | None = Field(None, min_length=1, max_length=200)
    valid_until: dt.date | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    deliverables: LongText | None = None
    payment_term_days: int | None = Field(None, ge=0, le=PAYMENT_TERM_DAYS_MAX)
    late_interest_rate: Percent | None = Field(None, ge=0, le=LATE_INTEREST_RATE_MAX)
    ip_option: Literal["assignment", "exclusive", "licence"] | None = None
    extra_clauses: LongText | None = None
    language: Literal["fr", "en"] | None = None


class QuoteSentOut(Schema):
    quote: QuoteOut
    acceptance_url: str


class QuoteCancelIn(Schema):
    cancelled_on: dt.date
    reason: Text300


class PublicQuoteOut(Schema):
    number: str
    title: str
    client: str
    status: str
    valid_until: dt.date
    subtotal: Money
    document_sha256: str
    pdf_url: str


class QuoteDecideIn(Schema):
    decision: Literal["accepted", "refused"]
    signer_name: Text200
    signer_role: Text200
    document_sha256: Annotated[str, Field(min_length=64, max_length=64)]
    reason: Annotated[str, Field(max_length=500)] = ""


@router.get("", response=list[QuoteOut], summary="Quotes (member: their activities')")
@paginate(Pagination)
def quotes_list(
    request: HttpRequest,
    status: Literal[
        "",
        "draft",
        "submitted",
        "approved",
        "sent",
        "accepted",
        "refused",
        "cancelled",
        "withdrawn",
    ] = "",
    activity_id: Id | None = None,
    client_id: Id | None = None,
) -> QuerySet[Quote]:
    return (
        selectors.quote_list(
            user=acting_user(request), status=status, activity_id=activity_id, client_id=client_id
        )
        .select_related("decision")
        .prefetch_related("lines")
    )


@router.get("/{quote_id}", response={200: QuoteOut, 404: ErrorOut})
def quotes_get(request: HttpRequest, quote_id: Id) -> Quote:
    return selectors.quote_get(user=acting_user(request), pk=quote_id)


@router.post(
    "",
    response={201: QuoteOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Draft a quote for one of my activities",
)
def quotes_create(request: HttpRequest, payload: QuoteIn) -> tuple[int, Quote]:
    user = acting_user(request)
    activity = activity_get(user=user, pk=payload.activity_id)
    client = client_get(user=user, pk=payload.client_id)
    author = member_of(user) or activity.owners.first()
    if author is None:
        raise HttpError(409, _("The activity has no owner member."))
    data = payload.dict(
        exclude={"activity_id", "client_id", "title", "lines", "milestones"}, exclude_none=True
    )
    data["milestones"] = [m.dict() for m in payload.milestones]
    quote = services.quote_create(
        activity=activity,
        client=client,
        author=author,
        acting_user=user,
        title=payload.title,
        lines=[line.line() for line in payload.lines],
        **data,
    )
    return 201, quote


@router.patch(
    "/{quote_id}",
    response={200: QuoteOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Change a draft quote",
)
def quotes_patch(request: HttpRequest, quote_id: Id, payload: QuotePatch) -> Quote:
    user = acting_user(request)
    quote = selectors.quote_get(user=user, pk=quote_id)
    data = payload.dict(exclude_unset=True, exclude_none=True)
    lines = typed_lines(payload.lines) if "lines" in data else None
    data.pop("lines", None)
    return services.quote_update(quote=quote, acting_user=user, lines=lines, **data)


@router.post(
    "/{quote_id}/submit",
    response={200: QuoteOut, 404: ErrorOut, 409: ErrorOut},
    summary="Submit a draft (trusted members skip staff validation)",
)
def quotes_submit(request: HttpRequest, quote_id: Id) -> Quote:
    user = acting_user(request)
    return services.quote_submit(
        quote=selectors.quote_get(user=user, pk=quote_id), acting_user=user
    )


@router.post(
    "/{quote_id}/validate",
    response={200: QuoteOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Validate a submitted quote (staff)",
)
def quotes_validate(request: HttpRequest, quote_id: Id) -> Quote:
    user = acting_user(request)
    return services.quote_validate(
        quote=selectors.quote_get(user=user, pk=quote_id), acting_user=user
    )


@router.post(
    "/{quote_id}/send",
    response={200: QuoteSentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Freeze the PDF, open the acceptance link and email the client",
)
def quotes_send(request: HttpRequest, quote_id: Id) -> dict[str, object]:
    user = acting_user(request)
    quote = services.quote_send(quote=selectors.quote_get(user=user, pk=quote_id), acting_user=user)
    url = request.build_absolute_uri(links.link_path(quote))
    return {"quote": quote, "acceptance_url": url}


@router.post(
    "/{quote_id}/cancel",
    response={200: QuoteOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Record the client's cancellation of an accepted contract (staff)",
)
def quotes_cancel(request: HttpRequest, quote_id: Id, payload: QuoteCancelIn) -> Quote:
    user = acting_user(request)
    return services.quote_cancel(
        quote=selectors.quote_get(user=user, pk=quote_id),
        acting_user=user,
        cancelled_on=payload.cancelled_on,
        reason=payload.reason,
    )


def _public(token: str) -> Quote:
    if len(token) > 500:
        raise Http404
    try:
        return services.quote_from_token(token)
    except QuoteLinkInvalid as exc:
        raise Http404 from exc


@router.get(
    "/acceptance/{token}",
    auth=None,
    response={200: PublicQuoteOut, 404: ErrorOut},
    summary="What a client's signed link shows (no account)",
)
def acceptance_get(request: HttpRequest, token: str) -> dict[str, object]:
    quote = _public(token)
    return {
        "number": quote.number,
        "title": quote.title,
        "client": quote.client.legal_name,
        "status": quote.status,
        "valid_until": quote.valid_until,
        "subtotal": quote.subtotal,
        "document_sha256": quote.document_sha256,
        "pdf_url": request.build_absolute_uri(f"/q/{token}/pdf/"),
    }


@router.post(
    "/acceptance/{token}",
    auth=None,
    response={200: QuoteDecisionOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="The client accepts or refuses the exact document (its SHA-256)",
)
def acceptance_post(request: HttpRequest, token: str, payload: QuoteDecideIn) -> object:
    quote = _public(token)
    return services.quote_decide(
        quote=quote,
        decision=payload.decision,
        signer_name=payload.signer_name,
        signer_role=payload.signer_role,
        document_sha256=payload.document_sha256,
        reason=payload.reason,
        ip_address=request.META.get("REMOTE_ADDR"),
        user_agent=request.headers.get("User-Agent", ""),
    )
