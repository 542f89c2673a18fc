"""The guarantee fund's API.

- ``GET /guarantee/fund``: balance, exposure, coverage, outstanding advances,
  losses by year, average delay (members, staff: figures only, no names);
  ``GET /guarantee/fund/history``: month by month.
- ``POST /guarantee/simulation``: the board's stress simulation (directors,
  staff, admins; others 404).
- ``GET /guarantee/invoices/{id}/eligibility``, ``GET /guarantee/quotes/{id}/eligibility``:
  covered or not, with every reason (the invoice's or quote's owner, staff).
- ``GET /guarantee/clients/{id}/risk``: the pooled risk indicator (members, staff).
- ``GET /guarantee/policy``; ``POST /guarantee/policies`` (admins).
- ``POST /guarantee/clients/{id}/exclusion``, ``DELETE`` (staff).
- ``POST /guarantee/invoices/{id}/signed-contract`` (staff).
- ``POST /guarantee/run``: the daily job (staff), the same JSON as the CLI.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema

from maille.clients.models import Client
from maille.contracts.selectors import quote_get
from maille.core.http import acting_staff, acting_user
from maille.core.schemas import ErrorOut, Id, Money, Text200, Text300
from maille.guarantee import job, risk, selectors, services
from maille.guarantee.exceptions import GuaranteeInputError
from maille.guarantee.models import GuaranteePolicy
from maille.invoicing.selectors import invoice_get

router = Router(tags=["guarantee"])


def _input_error(exc: GuaranteeInputError) -> HttpResponse:
    return JsonResponse(
        {
            "detail": [
                {"field": field, "message": message}
                for field, messages in exc.problems.items()
                for message in messages
            ]
        },
        status=422,
    )


class FundOut(Schema):
    on: dt.date
    balance: Money
    exposure: Money
    coverage: Decimal | None
    advances_outstanding: Money
    losses_this_year: Money
    losses_by_year: dict[str, Money]
    average_delay_days: Decimal | None = Field(
        description="Average calendar days between an advanced invoice's issue date and "
        "the salary actually paid (the activity's first posted payslip on or after the "
        "advance); advances not paid yet are left out; null when none is paid."
    )


class MonthOut(Schema):
    month: dt.date
    balance: Money
    exposure: Money
    losses: Money


@router.get("/fund", response={200: FundOut, 404: ErrorOut}, summary="The fund's figures")
def fund(request: HttpRequest) -> FundOut:
    acting_user(request)
    f = selectors.fund_figures()
    return FundOut(
        on=f.on,
        balance=f.balance,
        exposure=f.exposure,
        coverage=f.coverage,
        advances_outstanding=f.advances_outstanding,
        losses_this_year=f.losses_this_year,
        losses_by_year={str(y): v for y, v in f.losses_by_year.items()},
        average_delay_days=selectors.average_delay_days(),
    )


@router.get("/fund/history", response={200: list[MonthOut], 404: ErrorOut})
def fund_history(request: HttpRequest, months: int = 24) -> list[MonthOut]:
    acting_user(request)
    months = min(max(months, 1), 120)
    return [
        MonthOut(month=p.month, balance=p.balance, exposure=p.exposure, losses=p.losses)
        for p in selectors.fund_history(months=months)
    ]


class StressIn(Schema):
    client_ids: list[Id] = Field(default_factory=list, max_length=200)
    largest: int = Field(0, ge=0, le=100)
    rate_multiplier: Decimal = Field(Decimal(2), ge=0, le=100, max_digits=6, decimal_places=2)


class ExposureOut(Schema):
    client_id: int
    name: str
    exposure: Money


class StressOut(Schema):
    balance_before: Money
    coverage_before: Decimal | None
    loss_clients: Money
    default_rate: Decimal
    loss_rate: Money
    balance_after: Money
    coverage_after: Decimal | None
    months_to_rebuild: Decimal | None
    clients: list[ExposureOut]


@router.post(
    "/simulation",
    response={200: StressOut, 404: ErrorOut, 422: ErrorOut},
    summary="Stress simulation for the board (directors, staff)",
)
def simulation(request: HttpRequest, payload: StressIn) -> StressOut:
    user = acting_user(request)
    if not selectors.may_simulate(user):
        raise Http404
    s = risk.stress_simulation(
        client_ids=payload.client_ids,
        largest=payload.largest,
        rate_multiplier=payload.rate_multiplier,
    )
    return StressOut(
        balance_before=s.before.balance,
        coverage_before=s.before.coverage,
        loss_clients=s.loss_clients,
        default_rate=s.default_rate,
        loss_rate=s.loss_rate,
        balance_after=s.balance_after,
        coverage_after=s.coverage_after,
        months_to_rebuild=s.months_to_rebuild,
        clients=[
            ExposureOut(client_id=c.client_id, name=c.name, exposure=c.exposure)
            for c in s.defaulting
        ],
    )


class ReasonOut(Schema):
    code: str
    message: str


class EligibilityOut(Schema):
    covered: bool
    reasons: list[ReasonOut]
    amount: Money
    advanced: bool
    outstanding: Money
    pay_by: dt.date | None
    paused: bool


@router.get("/invoices/{invoice_id}/eligibility", response={200: EligibilityOut, 404: ErrorOut})
def invoice_eligibility(request: HttpRequest, invoice_id: Id) -> EligibilityOut:
    invoice = invoice_get(user=acting_user(request), pk=invoice_id)
    e = selectors.invoice_eligibility(invoice)
    return EligibilityOut(
        covered=e.covered,
        reasons=[ReasonOut(code=r.code, message=r.message) for r in e.reasons],
        amount=e.amount,
        advanced=e.advance is not None,
        outstanding=e.outstanding,
        pay_by=e.pay_by,
        paused=e.paused,
    )


class QuoteEligibilityOut(Schema):
    accepted: bool
    message: str


@router.get("/quotes/{quote_id}/eligibility", response={200: QuoteEligibilityOut, 404: ErrorOut})
def quote_eligibility(request: HttpRequest, quote_id: Id) -> QuoteEligibilityOut:
    from django.utils.translation import gettext as _

    quote = quote_get(user=acting_user(request), pk=quote_id)
    accepted = quote.status == "accepted"
    return QuoteEligibilityOut(
        accepted=accepted,
        message=_("Its invoices are covered by the guarantee.")
        if accepted
        else _("Its invoices will be covered once the client accepts it online."),
    )


class RiskOut(Schema):
    client_id: int
    level: str
    invoices: int
    on_time_share: Decimal | None
    average_days_late: Decimal | None
    disputes: int
    write_offs: int
    excluded: str | None


@router.get("/clients/{client_id}/risk", response={200: RiskOut, 404: ErrorOut})
def client_risk(request: HttpRequest, client_id: Id) -> RiskOut:
    user = acting_user(request)
    client = selectors.client_visible(user=user, pk=client_id)
    r = risk.client_risk(client)
    return RiskOut(
        client_id=client.pk,
        level=r.level,
        invoices=r.invoices,
        on_time_share=r.on_time_share,
        average_days_late=r.average_days_late,
        disputes=r.disputes,
        write_offs=r.write_offs,
        excluded=selectors.excluded_clients(timezone.localdate()).get(client.pk),
    )


class PolicyOut(Schema):
    valid_from: dt.date
    delay_working_days: int
    advance_share: Decimal
    client_limit: Money
    member_limit: Money
    coverage_floor: Decimal
    source: str


class PolicyIn(Schema):
    valid_from: dt.date
    delay_working_days: int = Field(7, ge=-1000, le=1000)
    advance_share: Decimal = Field(Decimal(1), max_digits=8, decimal_places=4)
    client_limit: Money = Decimal("50000.00")
    member_limit: Money = Decimal("30000.00")
    coverage_floor: Decimal = Field(Decimal("0.1"), max_digits=8, decimal_places=3)
    source: Text300 = ""


def _policy_out(p: GuaranteePolicy) -> PolicyOut:
    return PolicyOut(
        valid_from=p.valid_from,
        delay_working_days=p.delay_working_days,
        advance_share=p.advance_share,
        client_limit=p.client_limit,
        member_limit=p.member_limit,
        coverage_floor=p.coverage_floor,
        source=p.source,
    )


@router.get("/policy", response={200: PolicyOut, 404: ErrorOut}, summary="The policy in force")
def policy(request: HttpRequest) -> PolicyOut:
    acting_user(request)
    p = GuaranteePolicy.in_force(timezone.localdate())
    if p is None:
        raise Http404
    return _policy_out(p)


@router.post(
    "/policies",
    response={201: PolicyOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A new policy from a date (admins)",
)
def policy_create(request: HttpRequest, payload: PolicyIn) -> Any:
    user = acting_user(request)
    if not user.is_superuser:
        raise PermissionDenied
    try:
        p = services.policy_create(
            acting_user=user,
            valid_from=payload.valid_from,
            delay_working_days=payload.delay_working_days,
            advance_share=payload.advance_share,
            client_limit=payload.client_limit,
            member_limit=payload.member_limit,
            coverage_floor=payload.coverage_floor,
            source=payload.source,
        )
    except GuaranteeInputError as exc:
        return _input_error(exc)
    return 201, _policy_out(p)


class ExclusionIn(Schema):
    reason: Text300
    on: dt.date | None = None


class ExclusionOut(Schema):
    client_id: int
    reason: str
    excluded_on: dt.date
    lifted_on: dt.date | None


@router.post(
    "/clients/{client_id}/exclusion",
    response={201: ExclusionOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Exclude a client from the guarantee (staff)",
)
def exclusion_create(request: HttpRequest, client_id: int, payload: ExclusionIn) -> Any:
    user = acting_staff(request)
    try:
        e = services.client_exclude(
            client_id=client_id,
            reason=payload.reason,
            on=payload.on or timezone.localdate(),
            acting_user=user,
        )
    except GuaranteeInputError as exc:
        return _input_error(exc)
    return 201, ExclusionOut(
        client_id=e.client_id, reason=e.reason, excluded_on=e.excluded_on, lifted_on=e.lifted_on
    )


@router.delete(
    "/clients/{client_id}/exclusion",
    response={200: ExclusionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Cover the client again (staff)",
)
def exclusion_delete(request: HttpRequest, client_id: Id) -> Any:
    user = acting_staff(request)
    get_object_or_404(Client, pk=client_id)
    try:
        e = services.client_readmit(client_id=client_id, on=timezone.localdate(), acting_user=user)
    except GuaranteeInputError as exc:
        return _input_error(exc)
    return ExclusionOut(
        client_id=e.client_id, reason=e.reason, excluded_on=e.excluded_on, lifted_on=e.lifted_on
    )


class ContractIn(Schema):
    signed_on: dt.date
    reference: Text200


@router.post(
    "/invoices/{invoice_id}/signed-contract",
    response={201: EligibilityOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Record a contract the client signed (staff); the daily job advances it",
)
def contract_create(request: HttpRequest, invoice_id: Id, payload: ContractIn) -> Any:
    user = acting_staff(request)
    invoice = invoice_get(user=user, pk=invoice_id)
    try:
        services.contract_record_signed(
            invoice=invoice,
            signed_on=payload.signed_on,
            reference=payload.reference,
            acting_user=user,
        )
    except GuaranteeInputError as exc:
        return _input_error(exc)
    return 201, invoice_eligibility(request, invoice_id)


class GuaranteeRunIn(Schema):
    date: dt.date | None = None


class GuaranteeRunOut(Schema):
    eligible: int
    advanced: int
    settled: int
    absorbed: int
    amount_advanced: Money


@router.post(
    "/run",
    response={200: GuaranteeRunOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Run the daily job now (staff): the same JSON as `maille guarantee run --json`",
)
def run(request: HttpRequest, payload: GuaranteeRunIn) -> GuaranteeRunOut:
    user = acting_staff(request)
    r = job.guarantee_run(on=payload.date, acting_user=user)
    return GuaranteeRunOut(
        eligible=r.eligible,
        advanced=r.advanced,
        settled=r.settled,
        absorbed=r.absorbed,
        amount_advanced=r.amount_advanced,
    )
