"""The governance API.

Voting is a stable interface (issue 17):

- ``GET /governance/ballots``: the votes open to the person asking, items
  ``{"id", "question", "options": [{"id", "label"}], "max_choices"}``;
- ``POST /governance/ballots/{id}/vote`` with ``{"choices": [option ids]}``:
  201 with ``{"receipt": "…"}``, 409 when this member has already voted,
  422 outside the window, when not in good standing on the record date, or
  for choices the ballot does not allow;
- ``GET /governance/ballots/{id}/results``: once counted (409 Conflict before:
  the ballot's state refuses it, like a second vote);
- ``POST /governance/ballots/{id}/receipt`` with ``{"code"}``: was a ballot
  with this receipt counted.

And: the register (staff and board) and one's own entry, one member's share
statement (staff and board), share subscriptions and payments, the public
application (no account, rate-limited per address like its page) and its
review and decision, meetings and their documents, the ristourne simulation
and the list of computations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from maille.core.http import acting_user
from maille.core.schemas import (
    ErrorOut,
    Id,
    LongText,
    Money,
    Text10,
    Text30,
    Text100,
    Text150,
    Text200,
)
from maille.governance import selectors, services
from maille.governance.board_api import MeetingHeadOut
from maille.governance.exceptions import NotYetCounted, TooManyApplications
from maille.governance.forms import ApplicationForm, application_rate_limited
from maille.governance.models import Ballot, RistourneAllocation
from maille.governance.voting import ballot_outcome, receipt_counted
from maille.members.models import Member
from maille.members.selectors import member_of, member_or_404

router = Router(tags=["governance"])


class OptionOut(Schema):
    id: int
    label: str


class BallotOut(Schema):
    id: int
    question: str
    options: list[OptionOut]
    max_choices: int


class VoteIn(Schema):
    choices: list[Id] = Field(..., max_length=100)


class ReceiptOut(Schema):
    receipt: str


class ReceiptIn(Schema):
    code: Text100


class CountedOut(Schema):
    counted: bool


class TallyOut(Schema):
    id: int
    label: str
    votes: int


class ResultsOut(Schema):
    id: int
    question: str
    kind: str
    majority: str
    options: list[TallyOut]
    voters: int
    eligible: int
    turnout_percent: str
    adopted: bool | None
    elected: list[int]
    tied: list[int]
    note: str


def _ballot_out(b: Ballot) -> BallotOut:
    return BallotOut(
        id=b.pk,
        question=b.question,
        options=[OptionOut(id=o.pk, label=o.label) for o in b.options.all()],
        max_choices=b.max_choices,
    )


@router.get("/governance/ballots", response=list[BallotOut])
def ballots(request: HttpRequest) -> list[BallotOut]:
    user = acting_user(request)
    return [_ballot_out(b) for b in selectors.ballots_open_to(user)]


@router.post("/governance/ballots/{ballot_id}/vote", response={201: ReceiptOut})
def vote(request: HttpRequest, ballot_id: Id, body: VoteIn) -> tuple[int, ReceiptOut]:
    user = acting_user(request)
    if member_of(user) is None:
        raise Http404
    ballot = selectors.ballot_get(user=user, pk=ballot_id)
    code = services.vote_cast(ballot=ballot, choices=list(body.choices), acting_user=user)
    return 201, ReceiptOut(receipt=code)


@router.get("/governance/ballots/{ballot_id}/results", response={200: ResultsOut, 409: ErrorOut})
def results(request: HttpRequest, ballot_id: Id) -> ResultsOut:
    """The results once the ballot is counted; 409 Conflict before (the ballot's
    state refuses them, not the request)."""
    user = acting_user(request)
    ballot = selectors.ballot_get(user=user, pk=ballot_id)
    if ballot.counted_at is None:
        raise NotYetCounted(_("The results are published once the vote is counted."))
    result = ballot_outcome(ballot)
    voters = ballot.participations.count()
    turnout = f"{voters * 100 / ballot.eligible_count:.1f}" if ballot.eligible_count else "0.0"
    return ResultsOut(
        id=ballot.pk,
        question=ballot.question,
        kind=ballot.kind,
        majority=ballot.majority,
        options=[
            TallyOut(id=o.pk, label=o.label, votes=o.votes or 0) for o in ballot.options.all()
        ],
        voters=voters,
        eligible=ballot.eligible_count,
        turnout_percent=turnout,
        adopted=result.adopted,
        elected=result.elected,
        tied=result.tied,
        note=result.note,
    )


@router.post("/governance/ballots/{ballot_id}/receipt", response=CountedOut)
def receipt(request: HttpRequest, ballot_id: Id, body: ReceiptIn) -> CountedOut:
    user = acting_user(request)
    ballot = selectors.ballot_get(user=user, pk=ballot_id)
    return CountedOut(counted=receipt_counted(ballot=ballot, code=body.code))


class RegisterOut(Schema):
    member_id: int
    number: str
    name: str
    address: str
    category: str
    admitted_on: dt.date
    withdrawn_on: dt.date | None
    shares_subscribed: int
    shares_transferred_in: int
    shares_transferred_out: int
    shares_redeemed: int
    shares_held: int
    amount_subscribed: Money
    paid: Money
    owing: Money
    to_repay: Money


def _row(row: selectors.RegisterRow) -> RegisterOut:
    m, f = row.member, row.figures
    return RegisterOut(
        member_id=m.pk,
        number=m.number,
        name=m.full_name,
        address=", ".join(x for x in (m.street, m.city, m.province, m.postal_code) if x),
        category=row.membership.category,
        admitted_on=row.membership.admitted_on,
        withdrawn_on=row.membership.withdrawn_on,
        shares_subscribed=f.subscribed,
        shares_transferred_in=f.transferred_in,
        shares_transferred_out=f.transferred_out,
        shares_redeemed=f.redeemed,
        shares_held=f.held,
        amount_subscribed=f.amount_subscribed,
        paid=f.paid,
        owing=f.owing,
        to_repay=f.to_repay,
    )


@router.get("/governance/register", response=list[RegisterOut])
def register(request: HttpRequest, as_of: dt.date | None = None) -> list[RegisterOut]:
    user = acting_user(request)
    return [_row(r) for r in selectors.register(user=user, as_of=as_of)]


@router.get("/governance/register/me", response=RegisterOut)
def register_me(request: HttpRequest) -> RegisterOut:
    user = acting_user(request)
    member = member_or_404(user)
    return _row(selectors.register_entry(user=user, member=member))


class SubscriptionIn(Schema):
    member_id: Id | None = None
    shares: int = Field(..., ge=0, le=100_000)
    method: Literal["transfer", "payroll", "cheque"] = "transfer"
    date: dt.date | None = None


class MovementOut(Schema):
    id: int
    kind: str
    date: dt.date
    shares: int
    amount: Money


def _member_for(request: HttpRequest, member_id: int | None) -> Member:
    user = acting_user(request)
    if member_id is None:
        return member_or_404(user)
    member = get_object_or_404(Member, pk=member_id)
    if not (user.is_staff or member.user_id == user.pk):
        raise Http404
    return member


@router.post("/governance/shares/subscriptions", response={201: MovementOut})
def subscribe(request: HttpRequest, body: SubscriptionIn) -> tuple[int, MovementOut]:
    from django.utils import timezone

    member = _member_for(request, body.member_id)
    m = services.shares_subscribe(
        member=member,
        shares=body.shares,
        date=body.date or timezone.localdate(),
        method=body.method,
        acting_user=acting_user(request),
    )
    return 201, MovementOut(id=m.pk, kind=m.kind, date=m.date, shares=m.shares, amount=m.amount)


class SharePaymentIn(Schema):
    member_id: Id
    amount: Money
    method: Literal["transfer", "payroll", "cheque"]
    date: dt.date


@router.post("/governance/shares/payments", response={201: MovementOut})
def pay(request: HttpRequest, body: SharePaymentIn) -> tuple[int, MovementOut]:
    user = acting_user(request)
    if not user.is_staff:
        raise Http404
    member = get_object_or_404(Member, pk=body.member_id)
    m = services.shares_pay(
        member=member, amount=body.amount, date=body.date, method=body.method, acting_user=user
    )
    return 201, MovementOut(id=m.pk, kind=m.kind, date=m.date, shares=m.shares, amount=m.amount)


@router.get("/governance/shares/me", response=list[MovementOut])
def my_shares(request: HttpRequest) -> list[MovementOut]:
    user = acting_user(request)
    member = member_or_404(user)
    return [
        MovementOut(id=m.pk, kind=m.kind, date=m.date, shares=m.shares, amount=m.amount)
        for m in selectors.share_movements(user=user, member=member)
    ]


class ShareStatementOut(Schema):
    entry: RegisterOut
    movements: list[MovementOut]


@router.get("/governance/members/{member_id}/shares", response=ShareStatementOut)
def member_share_statement(request: HttpRequest, member_id: Id) -> ShareStatementOut:
    """One member's register entry and share statement, for staff and the board
    (as their page); a member reads their own at ``register/me`` and ``shares/me``."""
    user = acting_user(request)
    selectors.require_board_or_staff(user)
    member = get_object_or_404(Member.objects.filter(membership__isnull=False), pk=member_id)
    return ShareStatementOut(
        entry=_row(selectors.register_entry(user=user, member=member)),
        movements=[
            MovementOut(id=m.pk, kind=m.kind, date=m.date, shares=m.shares, amount=m.amount)
            for m in selectors.share_movements(user=user, member=member)
        ],
    )


class ApplicationOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    category: str
    activity_planned: str
    heard_from: str
    status: str
    adviser_notes: str


@router.get("/governance/applications", response=list[ApplicationOut])
def applications(request: HttpRequest, status: str = "") -> list[ApplicationOut]:
    user = acting_user(request)
    return [
        ApplicationOut.from_orm(a) for a in selectors.application_list(user=user, status=status)
    ]


class ApplicationIn(Schema):
    """The public application form's fields, validated by that form."""

    first_name: Text150
    last_name: Text150
    email: Text200
    phone: Text30 = ""
    street: Text200
    city: Text100
    province: Text10 = Field("QC", description="two letters: QC, ON…")
    postal_code: Text10
    language: Literal["fr", "en"] = "fr"
    category: Literal["worker", "auxiliary"] = "worker"
    activity_planned: LongText
    heard_from: Text200 = ""
    consent: bool = Field(
        ...,
        description=(
            "consent to the co-op processing the applicant's personal information to study "
            "the application and, if admitted, to keep the register of members"
        ),
    )


class ApplicationSubmittedOut(Schema):
    status: str


@router.post(
    "/governance/applications",
    auth=None,
    response={201: ApplicationSubmittedOut, 422: ErrorOut, 429: ErrorOut},
    summary="Apply to join the co-op (no account; the public form's rules and consent)",
)
def apply(request: HttpRequest, body: ApplicationIn) -> tuple[int, ApplicationSubmittedOut]:
    """The public application form's door for programs: the same form
    validates it, the same service records it with the dated consent, and the
    same per-address limit applies (429 past it)."""
    if application_rate_limited(request):
        raise TooManyApplications(
            _("Too many applications from your connection: try again in an hour.")
        )
    form = ApplicationForm(data=body.dict())
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    data = dict(form.cleaned_data)
    application = services.application_submit(consent=data.pop("consent"), **data)
    return 201, ApplicationSubmittedOut(status=application.status)


class ReviewIn(Schema):
    notes: LongText


@router.post("/governance/applications/{application_id}/review", response=ApplicationOut)
def review(request: HttpRequest, application_id: Id, body: ReviewIn) -> ApplicationOut:
    user = acting_user(request)
    application = selectors.application_get(user=user, pk=application_id)
    return ApplicationOut.from_orm(
        services.application_review(application=application, notes=body.notes, acting_user=user)
    )


class DecideIn(Schema):
    admit: bool
    date: dt.date
    text: LongText
    directors_present: list[Id] = Field(..., max_length=50)


@router.post("/governance/applications/{application_id}/decide", response=ApplicationOut)
def decide(request: HttpRequest, application_id: Id, body: DecideIn) -> ApplicationOut:
    user = acting_user(request)
    application = selectors.application_get(user=user, pk=application_id)
    present = list(Member.objects.filter(pk__in=body.directors_present))
    return ApplicationOut.from_orm(
        services.application_decide(
            application=application,
            admit=body.admit,
            date=body.date,
            text=body.text,
            directors_present=present,
            acting_user=user,
        )
    )


class MeetingOut(MeetingHeadOut):
    quorum_required: int
    quorum_met: bool | None
    minutes: str


@router.get("/governance/meetings", response=list[MeetingOut])
def meetings(request: HttpRequest) -> list[MeetingOut]:
    user = acting_user(request)
    return [MeetingOut.from_orm(m) for m in selectors.meeting_list(user=user)]


class MeetingDocumentOut(Schema):
    id: int
    kind: str
    title: str


@router.get("/governance/meetings/{meeting_id}/documents", response=list[MeetingDocumentOut])
def meeting_documents(request: HttpRequest, meeting_id: Id) -> list[MeetingDocumentOut]:
    """The documents of a meeting (financial statements, the board's report,
    proposed resolutions): members see those of the meetings called; staff and
    the board, all."""
    meeting = selectors.meeting_get(user=acting_user(request), pk=meeting_id)
    return [
        MeetingDocumentOut(id=d.pk, kind=d.kind, title=d.title) for d in meeting.documents.all()
    ]


@router.get(
    "/governance/meetings/{meeting_id}/documents/{document_id}",
    response={200: None},
    summary="One document of a meeting, as a text file",
)
def meeting_document(request: HttpRequest, meeting_id: Id, document_id: Id) -> HttpResponse:
    meeting = selectors.meeting_get(user=acting_user(request), pk=meeting_id)
    document = get_object_or_404(meeting.documents, pk=document_id)
    response = HttpResponse(
        f"{document.title}\n\n{document.body}\n", content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{meeting.number}-{document.pk}-{document.kind}.txt"'
    )
    response["Cache-Control"] = "no-store"
    return response


class SimulateIn(Schema):
    fiscal_year: int = Field(..., ge=2000, le=2100)
    surplus: Money
    reserve: Money
    ristournes: Money
    basis: Literal["salary", "hours"] = "salary"
    form: Literal["cash", "shares"] = "cash"


class RistourneLineOut(Schema):
    member_id: int
    number: str
    basis: Money
    amount: Money


class RistourneAllocationOut(Schema):
    id: int
    fiscal_year: int
    surplus: Money
    reserve: Money
    ristournes: Money
    basis: str
    form: str
    status: str
    lines: list[RistourneLineOut]


def _allocation_figures(a: RistourneAllocation) -> dict[str, Any]:
    """What every answer about a ristourne computation shows of it."""
    return {
        "id": a.pk,
        "fiscal_year": a.fiscal_year,
        "surplus": a.surplus,
        "reserve": a.reserve,
        "ristournes": a.ristournes,
        "basis": a.basis,
        "form": a.form,
        "status": a.status,
    }


def _allocation_out(a: RistourneAllocation) -> RistourneAllocationOut:
    return RistourneAllocationOut(
        **_allocation_figures(a),
        lines=[
            RistourneLineOut(
                member_id=r.member_id, number=r.member.number, basis=r.basis, amount=r.amount
            )
            for r in a.lines.select_related("member")
        ],
    )


@router.post("/governance/ristournes", response={201: RistourneAllocationOut})
def simulate(request: HttpRequest, body: SimulateIn) -> tuple[int, RistourneAllocationOut]:
    user = acting_user(request)
    selectors.require_board_or_staff(user)
    allocation = services.ristourne_simulate(
        fiscal_year=body.fiscal_year,
        surplus=body.surplus,
        reserve=body.reserve,
        ristournes=body.ristournes,
        basis=body.basis,
        form=body.form,
        acting_user=user,
    )
    return 201, _allocation_out(allocation)


class RistourneSummaryOut(Schema):
    id: int
    fiscal_year: int
    period_start: dt.date
    period_end: dt.date
    surplus: Money
    reserve: Money
    ristournes: Money
    basis: str
    form: str
    status: str
    allocated_on: dt.date | None
    paid_on: dt.date | None


@router.get("/governance/ristournes", response=list[RistourneSummaryOut])
def ristournes(request: HttpRequest) -> list[RistourneSummaryOut]:
    """Every ristourne computation, simulated or voted (staff and the board)."""
    user = acting_user(request)
    out = []
    for a in selectors.ristourne_list(user=user):
        start, end = selectors.fiscal_year_bounds(a.fiscal_year)
        out.append(
            RistourneSummaryOut(
                **_allocation_figures(a),
                period_start=start,
                period_end=end,
                allocated_on=a.allocated_on,
                paid_on=a.paid_on,
            )
        )
    return out


@router.get("/governance/ristournes/{allocation_id}", response=RistourneAllocationOut)
def ristourne(request: HttpRequest, allocation_id: Id) -> RistourneAllocationOut:
    user = acting_user(request)
    return _allocation_out(selectors.ristourne_get(user=user, pk=allocation_id))


# Staff and the board: meetings, ballots, shares, withdrawals, ristournes. The
# two whose path is a list's above are added to this router (one URL pattern
# per path: a second router's would never be reached).
from maille.governance import board_api  # noqa: E402

router.post("/governance/meetings", response={201: board_api.GovMeetingDetailOut})(
    board_api.meeting_create
)
router.post("/governance/ballots", response={201: board_api.GovBallotOut})(board_api.ballot_create)
router.add_router("", board_api.router)
