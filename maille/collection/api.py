"""The API for collection: cases, promises, disputes, write-offs.

- ``GET /collection/cases`` and ``GET /collection/cases/{id}``: scoped (staff
  every case; a member the cases holding their invoices, only those; a client
  contact their own client's);
- ``POST /collection/promises``: staff, or a client contact for their own
  invoice ("I will pay on …");
- ``POST /collection/disputes``: staff, or a client contact for their own
  invoice ("I dispute this"); another client's invoice is refused (422);
- ``POST /collection/disputes/{id}/decision`` (staff);
- ``POST /collection/write-offs`` (staff);
- ``GET`` / ``POST /collection/recoveries`` (staff): a payment on a written-off
  invoice (the daily run books those it can tell; staff the others);
- ``POST /collection/interest`` (staff): late interest paid out of a payment's
  credit, posted as income.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema

from maille.collection import selectors, services
from maille.collection.income import interest_collect, interest_collect_undo
from maille.collection.models import CollectionCase, InterestCollected, Recovery
from maille.collection.writeoff import recovery_list, recovery_record, write_off
from maille.core.http import acting_user
from maille.core.models import User
from maille.core.schemas import ErrorOut, Id, LongText, Money, Text200, Text300

router = Router(tags=["collection"])


def _user(request: HttpRequest) -> User:
    return acting_user(request, staff_or_member=False)


def _staff(request: HttpRequest) -> User:
    """The staff user the request acts for; anyone else a 403."""
    user = _user(request)
    if not user.is_staff:
        raise PermissionDenied
    return user


class CaseOut(Schema):
    id: int
    client_id: int
    client_name: str
    next_action_on: dt.date | None
    through_lawyer: bool


class InvoiceRowOut(Schema):
    invoice_id: int
    number: str
    due_date: dt.date | None
    owed: Money
    interest: Money
    interest_basis: str
    prescribed_on: dt.date
    disputed: bool


class PromiseOut(Schema):
    id: int
    invoice_id: int
    promised_on: dt.date
    amount: Money
    status: str


class DisputeOut(Schema):
    id: int
    invoice_id: int
    what: str
    raised_by: str
    in_writing: bool
    status: str
    decision: str


class CaseDetailOut(CaseOut):
    owed: Money
    interest: Money
    small_claims: bool
    legal_route: list[str]
    invoices: list[InvoiceRowOut]
    promises: list[PromiseOut]
    disputes: list[DisputeOut]


def _case(case: CollectionCase) -> CaseOut:
    return CaseOut(
        id=case.pk,
        client_id=case.client_id,
        client_name=case.client.legal_name,
        next_action_on=case.next_action_on,
        through_lawyer=case.through_lawyer,
    )


def _promise(p: object) -> PromiseOut:
    return PromiseOut(
        id=p.pk,  # type: ignore[attr-defined]
        invoice_id=p.invoice_id,  # type: ignore[attr-defined]
        promised_on=p.promised_on,  # type: ignore[attr-defined]
        amount=p.amount,  # type: ignore[attr-defined]
        status=p.status,  # type: ignore[attr-defined]
    )


def _dispute(d: object) -> DisputeOut:
    return DisputeOut(
        id=d.pk,  # type: ignore[attr-defined]
        invoice_id=d.invoice_id,  # type: ignore[attr-defined]
        what=d.what,  # type: ignore[attr-defined]
        raised_by=d.raised_by,  # type: ignore[attr-defined]
        in_writing=d.in_writing,  # type: ignore[attr-defined]
        status=d.status,  # type: ignore[attr-defined]
        decision=d.decision,  # type: ignore[attr-defined]
    )


@router.get("/collection/cases", response=list[CaseOut], summary="Collection cases (scoped)")
def cases_list(request: HttpRequest) -> list[CaseOut]:
    qs = selectors.case_list(user=_user(request)).order_by("next_action_on", "id")
    return [_case(c) for c in qs[:1000]]


@router.get(
    "/collection/cases/{case_id}",
    response={200: CaseDetailOut, 404: ErrorOut},
    summary="A case file: invoices with interest and prescription, promises, disputes",
)
def cases_get(request: HttpRequest, case_id: Id) -> CaseDetailOut:
    user = _user(request)
    case = selectors.case_get(user=user, pk=case_id)
    view = selectors.case_view(user=user, case=case)
    base = _case(case)
    return CaseDetailOut(
        **base.dict(),
        owed=view.owed,
        interest=view.interest,
        small_claims=view.route.small_claims,
        legal_route=view.route.reasons,
        invoices=[
            InvoiceRowOut(
                invoice_id=r.invoice.pk,
                number=r.invoice.number or "",
                due_date=r.invoice.due_date,
                owed=r.owed,
                interest=r.interest.amount,
                interest_basis=r.interest.basis.explanation,
                prescribed_on=r.prescription.prescribed_on,
                disputed=r.disputed,
            )
            for r in view.rows
        ],
        promises=[_promise(p) for p in view.promises],
        disputes=[_dispute(d) for d in view.disputes],
    )


def _client_scope(user: User) -> int | None:
    """A client contact acts for their own client only; staff for any; others not at all."""
    if user.is_staff:
        return None
    if user.is_client_contact:
        return int(user.client_contact.client_id)
    raise PermissionDenied


class PromiseIn(Schema):
    invoice_id: Id
    promised_on: dt.date
    amount: Money


@router.post(
    "/collection/promises",
    response={201: PromiseOut, 403: ErrorOut, 422: ErrorOut},
    summary="A promise to pay (staff, or the client for its own invoice)",
)
def promises_create(request: HttpRequest, payload: PromiseIn) -> tuple[int, PromiseOut]:
    user = _user(request)
    client_id = _client_scope(user)
    promise = services.promise_make(
        invoice_id=payload.invoice_id,
        promised_on=payload.promised_on,
        amount=payload.amount,
        acting_user=user,
        by_client=client_id is not None,
        client_id=client_id,
    )
    return 201, _promise(promise)


class DisputeIn(Schema):
    invoice_id: Id
    what: LongText
    raised_by: Text200 = ""
    in_writing: bool = True


@router.post(
    "/collection/disputes",
    response={201: DisputeOut, 403: ErrorOut, 422: ErrorOut},
    summary="A dispute (staff, or the client for its own invoice): the invoice's steps hold",
)
def disputes_create(request: HttpRequest, payload: DisputeIn) -> tuple[int, DisputeOut]:
    user = _user(request)
    client_id = _client_scope(user)
    raised_by = payload.raised_by
    if client_id is not None:
        raised_by, in_writing = user.client_contact.name, True
    else:
        in_writing = payload.in_writing
    dispute = services.dispute_raise(
        invoice_id=payload.invoice_id,
        what=payload.what,
        raised_by=raised_by,
        in_writing=in_writing,
        acting_user=user,
        client_id=client_id,
    )
    return 201, _dispute(dispute)


class DecisionIn(Schema):
    outcome: Literal["upheld", "rejected"]
    decision: LongText


@router.post(
    "/collection/disputes/{dispute_id}/decision",
    response={200: DisputeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Staff decide a dispute",
)
def disputes_decide(request: HttpRequest, dispute_id: Id, payload: DecisionIn) -> DisputeOut:
    user = _staff(request)
    dispute = selectors.dispute_get(user=user, pk=dispute_id)
    return _dispute(
        services.dispute_decide(
            dispute=dispute, outcome=payload.outcome, decision=payload.decision, acting_user=user
        )
    )


class WriteOffIn(Schema):
    invoice_id: Id
    amount: Money
    reason: Text300


class WriteOffOut(Schema):
    id: int
    invoice_id: int
    date: dt.date
    amount: Money
    reason: str


@router.post(
    "/collection/write-offs",
    response={201: WriteOffOut, 403: ErrorOut, 422: ErrorOut},
    summary="Write an invoice off (staff): the guarantee fund or the activity bears the loss",
)
def write_offs_create(request: HttpRequest, payload: WriteOffIn) -> tuple[int, WriteOffOut]:

    user = _staff(request)
    row = write_off(
        invoice_id=payload.invoice_id,
        amount=payload.amount,
        reason=payload.reason,
        acting_user=user,
    )
    return 201, WriteOffOut(
        id=row.pk, invoice_id=row.invoice_id, date=row.date, amount=row.amount, reason=row.reason
    )


class RecoveryOut(Schema):
    id: int
    invoice_id: int
    invoice_number: str
    payment_id: int | None
    date: dt.date
    amount: Money
    automatic: bool


class RecoveryIn(Schema):
    invoice_id: Id
    payment_id: Id
    amount: Money


def _recovery(r: Recovery) -> RecoveryOut:
    return RecoveryOut(
        id=r.pk,
        invoice_id=r.write_off.invoice_id,
        invoice_number=r.write_off.invoice.number or "",
        payment_id=r.payment_id,
        date=r.date,
        amount=r.amount,
        automatic=r.automatic,
    )


@router.get(
    "/collection/recoveries",
    response={200: list[RecoveryOut], 403: ErrorOut},
    summary="Recoveries of written-off invoices (staff)",
)
def recoveries_list(request: HttpRequest) -> list[RecoveryOut]:
    _staff(request)
    return [_recovery(r) for r in recovery_list()]


@router.post(
    "/collection/recoveries",
    response={201: RecoveryOut, 403: ErrorOut, 422: ErrorOut},
    summary="Book a payment on a written-off invoice as a recovery (staff)",
)
def recoveries_create(request: HttpRequest, payload: RecoveryIn) -> tuple[int, RecoveryOut]:
    user = _staff(request)
    row = recovery_record(
        invoice_id=payload.invoice_id,
        payment_id=payload.payment_id,
        amount=payload.amount,
        acting_user=user,
    )
    return 201, _recovery(row)


class InterestIn(Schema):
    invoice_id: Id
    payment_id: Id
    amount: Money


class InterestOut(Schema):
    id: int
    invoice_id: int
    payment_id: int
    date: dt.date
    amount: Money
    to_activity: bool


def _interest_out(row: InterestCollected) -> InterestOut:
    return InterestOut(
        id=row.pk,
        invoice_id=row.invoice_id,
        payment_id=row.payment_id,
        date=row.date,
        amount=row.amount,
        to_activity=row.to_activity,
    )


@router.post(
    "/collection/interest",
    response={201: InterestOut, 403: ErrorOut, 422: ErrorOut},
    summary="Record late interest paid out of a payment's credit (staff): income of the co-op "
    "or, by the policy, of the activity",
)
def interest_create(request: HttpRequest, payload: InterestIn) -> tuple[int, InterestOut]:
    user = _staff(request)
    row = interest_collect(
        invoice_id=payload.invoice_id,
        payment_id=payload.payment_id,
        amount=payload.amount,
        acting_user=user,
    )
    return 201, _interest_out(row)


class InterestUndoIn(Schema):
    reason: Text300


@router.post(
    "/collection/interest/{interest_id}/undo",
    response={200: InterestOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Undo late interest recorded (staff): its entry reversed, the payment's credit "
    "free again (then the payment may be reversed)",
)
def interest_undo(request: HttpRequest, interest_id: Id, payload: InterestUndoIn) -> InterestOut:
    user = _staff(request)
    row = interest_collect_undo(interest_id=interest_id, acting_user=user, reason=payload.reason)
    return _interest_out(row)
