"""The governance API of staff and the board: meetings (create, call, attendance,
quorum, minutes), ballots (create, count, seat the elected), shares (transfers,
redemptions, repayments), withdrawals and exclusions, ristournes (the
assembly's allocation, payment, slips). Everyone else gets 404; the voting
endpoints of ``api.py`` are the stable interface and are not changed here."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from maille.core.http import acting_user
from maille.core.models import User
from maille.core.schemas import Id, LongText, Money, Text200, Text300
from maille.governance import board, selectors, services
from maille.governance.exceptions import GovernanceError
from maille.governance.meetings import meeting_warnings
from maille.governance.models import Ballot, Meeting, Membership, RistourneAllocation
from maille.governance.ristournes import ristourne_slips
from maille.members.models import Member

router = Router(tags=["governance"])


def _board(request: HttpRequest) -> User:
    user = acting_user(request)
    selectors.require_board_or_staff(user)
    return user


def _staff(request: HttpRequest) -> User:
    """Staff record what the board decided (shares, seats, withdrawals, ristournes
    paid): a director who is not staff, like any member, gets a 404."""
    user = acting_user(request)
    if not user.is_staff:
        raise Http404
    return user


class GovDecisionIn(Schema):
    date: dt.date
    text: LongText
    directors_present: list[Id] = Field(..., max_length=50)

    def to_decision(self) -> board.Decision:
        present = list(Member.objects.filter(pk__in=self.directors_present))
        return board.Decision(self.date, self.text, present)


# --- Meetings ------------------------------------------------------------------


class GovMeetingDocumentIn(Schema):
    kind: Literal["statements", "report", "resolution", "other"]
    title: Text200
    body: LongText


class GovMeetingIn(Schema):
    kind: Literal["annual", "special"]
    starts_at: dt.datetime
    agenda: LongText
    place: Text300 = ""
    online_link: Text200 = ""
    fiscal_year_end: dt.date | None = None
    documents: list[GovMeetingDocumentIn] = Field(default_factory=list, max_length=20)


class GovAttendanceOut(Schema):
    member_id: int
    number: str
    mode: str


class MeetingHeadOut(Schema):
    """What every answer about a meeting starts with: the list's rows and the board's detail."""

    id: int
    number: str
    kind: str
    starts_at: dt.datetime
    place: str
    online_link: str
    agenda: str
    status: str


class GovMeetingDetailOut(MeetingHeadOut):
    called_on: dt.date | None
    members_on_call: int
    quorum_required: int
    quorum_met: bool | None
    attendance: list[GovAttendanceOut]
    ballots: list[int]
    minutes: str
    minutes_approved_at: int | None
    warnings: list[str]


def _meeting_out(m: Meeting) -> GovMeetingDetailOut:
    return GovMeetingDetailOut(
        id=m.pk,
        number=m.number,
        kind=m.kind,
        starts_at=m.starts_at,
        place=m.place,
        online_link=m.online_link,
        agenda=m.agenda,
        status=m.status,
        called_on=m.called_on,
        members_on_call=m.members_on_call,
        quorum_required=m.quorum_required,
        quorum_met=m.quorum_met,
        attendance=[
            GovAttendanceOut(member_id=a.member_id, number=a.member.number, mode=a.mode)
            for a in m.attendances.select_related("member")
        ],
        ballots=list(m.ballots.values_list("pk", flat=True)),
        minutes=m.minutes,
        minutes_approved_at=m.minutes_approved_at_id,
        warnings=meeting_warnings(m),
    )


# Registered on the main router (``api.py``): the list shares its path.
def meeting_create(request: HttpRequest, body: GovMeetingIn) -> tuple[int, GovMeetingDetailOut]:
    user = _board(request)
    meeting = services.meeting_create(
        kind=body.kind,
        starts_at=body.starts_at,
        agenda=body.agenda,
        place=body.place,
        online_link=body.online_link,
        fiscal_year_end=body.fiscal_year_end,
        documents=[(d.kind, d.title, d.body) for d in body.documents],
        acting_user=user,
    )
    return 201, _meeting_out(meeting)


@router.get("/governance/meetings/{meeting_id}", response=GovMeetingDetailOut)
def meeting_detail(request: HttpRequest, meeting_id: Id) -> GovMeetingDetailOut:
    user = acting_user(request)
    meeting = selectors.meeting_get(user=user, pk=meeting_id)
    out = _meeting_out(meeting)
    if not selectors.is_board_or_staff(user):
        out.attendance, out.warnings = [], []
    return out


class GovCallIn(Schema):
    called_on: dt.date | None = None  # only today is accepted: the convocation goes out now
    decision: GovDecisionIn


@router.post("/governance/meetings/{meeting_id}/call", response=GovMeetingDetailOut)
def meeting_call(request: HttpRequest, meeting_id: Id, body: GovCallIn) -> GovMeetingDetailOut:
    user = _board(request)
    meeting = selectors.meeting_get(user=user, pk=meeting_id)
    return _meeting_out(
        board.meeting_convene(
            meeting=meeting,
            called_on=body.called_on,
            decision=body.decision.to_decision(),
            acting_user=user,
        )
    )


class GovAttendanceIn(Schema):
    member_id: Id
    mode: Literal["in_person", "online"]


@router.post("/governance/meetings/{meeting_id}/attendance", response=GovMeetingDetailOut)
def meeting_attendance(
    request: HttpRequest, meeting_id: Id, body: GovAttendanceIn
) -> GovMeetingDetailOut:
    user = _board(request)
    meeting = selectors.meeting_get(user=user, pk=meeting_id)
    member = get_object_or_404(Member, pk=body.member_id)
    services.attendance_record(meeting=meeting, member=member, mode=body.mode, acting_user=user)
    return _meeting_out(meeting)


@router.post("/governance/meetings/{meeting_id}/hold", response=GovMeetingDetailOut)
def meeting_hold(request: HttpRequest, meeting_id: Id) -> GovMeetingDetailOut:
    user = _board(request)
    meeting = selectors.meeting_get(user=user, pk=meeting_id)
    return _meeting_out(services.meeting_hold(meeting=meeting, acting_user=user))


class GovMinutesIn(Schema):
    minutes: LongText


@router.post("/governance/meetings/{meeting_id}/minutes", response=GovMeetingDetailOut)
def meeting_minutes(
    request: HttpRequest, meeting_id: Id, body: GovMinutesIn
) -> GovMeetingDetailOut:
    user = _board(request)
    meeting = selectors.meeting_get(user=user, pk=meeting_id)
    return _meeting_out(
        services.minutes_write(meeting=meeting, minutes=body.minutes, acting_user=user)
    )


class GovApproveIn(Schema):
    at_meeting_id: Id


@router.post("/governance/meetings/{meeting_id}/minutes/approve", response=GovMeetingDetailOut)
def meeting_minutes_approve(
    request: HttpRequest, meeting_id: Id, body: GovApproveIn
) -> GovMeetingDetailOut:
    user = _board(request)
    meeting = selectors.meeting_get(user=user, pk=meeting_id)
    at = selectors.meeting_get(user=user, pk=body.at_meeting_id)
    return _meeting_out(services.minutes_approve(meeting=meeting, at=at, acting_user=user))


# --- Ballots -------------------------------------------------------------------


class GovBallotIn(Schema):
    question: Text300
    kind: Literal["resolution", "election"]
    record_date: dt.date
    opens_at: dt.datetime
    closes_at: dt.datetime
    meeting_id: Id | None = None
    majority: Literal["simple", "two_thirds"] = "simple"
    seats: int = Field(1, ge=1, le=50)
    secret: bool = True
    candidate_ids: list[Id] = Field(default_factory=list, max_length=100)


class GovBallotOut(Schema):
    id: int
    question: str
    kind: str
    majority: str
    seats: int
    secret: bool
    record_date: dt.date
    opens_at: dt.datetime
    closes_at: dt.datetime
    counted_at: dt.datetime | None
    meeting_id: int | None
    options: list[dict[str, int | str]]


def _ballot_out(b: Ballot) -> GovBallotOut:
    return GovBallotOut(
        id=b.pk,
        question=b.question,
        kind=b.kind,
        majority=b.majority,
        seats=b.seats,
        secret=b.secret,
        record_date=b.record_date,
        opens_at=b.opens_at,
        closes_at=b.closes_at,
        counted_at=b.counted_at,
        meeting_id=b.meeting_id,
        options=[{"id": o.pk, "label": o.label} for o in b.options.all()],
    )


# Registered on the main router (``api.py``): the stable list shares its path.
def ballot_create(request: HttpRequest, body: GovBallotIn) -> tuple[int, GovBallotOut]:
    user = _board(request)
    meeting = selectors.meeting_get(user=user, pk=body.meeting_id) if body.meeting_id else None
    candidates = list(Member.objects.filter(pk__in=body.candidate_ids).order_by("number"))
    if len(candidates) != len(set(body.candidate_ids)):
        raise GovernanceError(_("candidate_ids: a candidate who is not a member."))
    ballot = services.ballot_create(
        question=body.question,
        kind=body.kind,
        record_date=body.record_date,
        opens_at=body.opens_at,
        closes_at=body.closes_at,
        meeting=meeting,
        majority=body.majority,
        seats=body.seats,
        secret=body.secret,
        candidates=candidates,
        acting_user=user,
    )
    return 201, _ballot_out(ballot)


@router.get("/governance/ballots/all", response=list[GovBallotOut])
def ballot_list(request: HttpRequest) -> list[GovBallotOut]:
    """Every ballot, open, closed or counted, drafts' included, latest first
    (staff and the board; ``GET /governance/ballots`` is a member's open votes)."""
    user = _board(request)
    ballots = selectors.ballot_list(user=user).prefetch_related("options")
    return [_ballot_out(b) for b in ballots.order_by("-opens_at", "-id")]


@router.post("/governance/ballots/{ballot_id}/count", response=GovBallotOut)
def ballot_count(request: HttpRequest, ballot_id: Id) -> GovBallotOut:
    user = _board(request)
    ballot = selectors.ballot_get(user=user, pk=ballot_id)
    return _ballot_out(services.ballot_count(ballot=ballot, acting_user=user))


class GovSeatIn(Schema):
    started_on: dt.date
    ended_on: dt.date | None = None


class GovDirectorOut(Schema):
    member_id: int
    started_on: dt.date
    ended_on: dt.date | None


@router.post("/governance/ballots/{ballot_id}/seat", response={201: list[GovDirectorOut]})
def ballot_seat(
    request: HttpRequest, ballot_id: Id, body: GovSeatIn
) -> tuple[int, list[GovDirectorOut]]:
    user = _staff(request)
    ballot = selectors.ballot_get(user=user, pk=ballot_id)
    seats = services.election_seat(
        ballot=ballot, started_on=body.started_on, ended_on=body.ended_on, acting_user=user
    )
    return 201, [
        GovDirectorOut(member_id=d.member_id, started_on=d.started_on, ended_on=d.ended_on)
        for d in seats
    ]


# --- Shares, withdrawals -------------------------------------------------------


class GovMovementOut(Schema):
    id: int
    member_id: int
    kind: str
    date: dt.date
    shares: int
    amount: Money


def _movement(m: object) -> GovMovementOut:
    return GovMovementOut.from_orm(m)


class GovTransferIn(Schema):
    member_id: Id
    to_member_id: Id
    shares: int = Field(..., ge=1, le=100_000)
    date: dt.date
    decision: GovDecisionIn


@router.post("/governance/shares/transfers", response={201: list[GovMovementOut]})
def shares_transfer(request: HttpRequest, body: GovTransferIn) -> tuple[int, list[GovMovementOut]]:
    user = _staff(request)
    member = get_object_or_404(Member, pk=body.member_id)
    to = get_object_or_404(Member, pk=body.to_member_id)
    moved = board.shares_transfer_approved(
        member=member,
        to=to,
        shares=body.shares,
        date=body.date,
        decision=body.decision.to_decision(),
        acting_user=user,
    )
    return 201, [_movement(m) for m in moved]


class GovRedemptionIn(Schema):
    member_id: Id
    shares: int = Field(..., ge=1, le=100_000)
    date: dt.date
    decision: GovDecisionIn


@router.post("/governance/shares/redemptions", response={201: GovMovementOut})
def shares_redeem(request: HttpRequest, body: GovRedemptionIn) -> tuple[int, GovMovementOut]:
    user = _staff(request)
    member = get_object_or_404(Member, pk=body.member_id)
    moved = board.shares_redeem_approved(
        member=member,
        shares=body.shares,
        date=body.date,
        decision=body.decision.to_decision(),
        acting_user=user,
    )
    return 201, _movement(moved)


class GovRepaymentIn(Schema):
    member_id: Id
    amount: Money
    date: dt.date


@router.post("/governance/shares/repayments", response={201: GovMovementOut})
def shares_repay(request: HttpRequest, body: GovRepaymentIn) -> tuple[int, GovMovementOut]:
    user = _staff(request)
    member = get_object_or_404(Member, pk=body.member_id)
    moved = services.shares_repay(
        member=member, amount=body.amount, date=body.date, acting_user=user
    )
    return 201, _movement(moved)


class GovResignationIn(Schema):
    requested_on: dt.date


class GovMembershipOut(Schema):
    member_id: int
    category: str
    admitted_on: dt.date
    withdrawal_requested_on: dt.date | None
    withdrawn_on: dt.date | None
    withdrawal_kind: str
    withdrawal_reason: str
    hearing_on: dt.date | None
    hearing_notice_on: dt.date | None


def _membership(m: Membership) -> GovMembershipOut:
    return GovMembershipOut.from_orm(m)


def _member_for(request: HttpRequest, member_id: int) -> tuple[User, Member]:
    user = acting_user(request)
    member = get_object_or_404(Member, pk=member_id)
    if not (user.is_staff or member.user_id == user.pk):
        selectors.require_board_or_staff(user)
    return user, member


@router.post("/governance/members/{member_id}/resignation", response=GovMembershipOut)
def resignation(request: HttpRequest, member_id: Id, body: GovResignationIn) -> GovMembershipOut:
    """A member resigns (their own request, or staff recording it)."""
    user, member = _member_for(request, member_id)
    return _membership(
        services.resignation_request(
            member=member, requested_on=body.requested_on, acting_user=user
        )
    )


class GovExclusionIn(Schema):
    reasons: LongText
    hearing_notice_on: dt.date = Field(
        description="when the member was notified of the hearing (the by-laws' notice before it)"
    )
    hearing_on: dt.date
    decision: GovDecisionIn


class GovWithdrawalIn(Schema):
    effective_on: dt.date
    exclusion: GovExclusionIn | None = None


@router.post("/governance/members/{member_id}/withdrawal", response=GovMembershipOut)
def withdrawal(request: HttpRequest, member_id: Id, body: GovWithdrawalIn) -> GovMembershipOut:
    """The resignation takes effect, or the board excludes the member; their
    activities are closed once nothing is open on them in the ledger."""
    user = _staff(request)
    member = get_object_or_404(Member, pk=member_id)
    if body.exclusion is None:
        done = services.membership_end(
            member=member, effective_on=body.effective_on, acting_user=user
        )
    else:
        done = board.member_exclude(
            member=member,
            effective_on=body.effective_on,
            reasons=body.exclusion.reasons,
            hearing_on=body.exclusion.hearing_on,
            hearing_notice_on=body.exclusion.hearing_notice_on,
            decision=body.exclusion.decision.to_decision(),
            acting_user=user,
        )
    return _membership(done)


# --- Ristournes ----------------------------------------------------------------


class GovAllocateIn(Schema):
    date: dt.date
    meeting_id: Id
    ballot_id: Id | None = None


class GovAllocationOut(Schema):
    id: int
    fiscal_year: int
    status: str
    allocated_on: dt.date | None
    paid_on: dt.date | None
    meeting_id: int | None
    ballot_id: int | None


@router.post("/governance/ristournes/{allocation_id}/allocate", response=GovAllocationOut)
def ristourne_allocate(
    request: HttpRequest, allocation_id: Id, body: GovAllocateIn
) -> RistourneAllocation:
    user = _board(request)
    allocation = selectors.ristourne_get(user=user, pk=allocation_id)
    meeting = selectors.meeting_get(user=user, pk=body.meeting_id)
    ballot = selectors.ballot_get(user=user, pk=body.ballot_id) if body.ballot_id else None
    return services.ristourne_allocate(
        allocation=allocation, date=body.date, meeting=meeting, ballot=ballot, acting_user=user
    )


class GovPayIn(Schema):
    date: dt.date


@router.post("/governance/ristournes/{allocation_id}/pay", response=GovAllocationOut)
def ristourne_pay(request: HttpRequest, allocation_id: Id, body: GovPayIn) -> RistourneAllocation:
    user = _staff(request)
    allocation = selectors.ristourne_get(user=user, pk=allocation_id)
    return services.ristourne_pay(allocation=allocation, date=body.date, acting_user=user)


class GovSlipOut(Schema):
    member_id: int
    number: str
    name: str
    amount: Money
    rl1_box: str = "O"
    rl1_code: str = "RL"
    t4a_box: str = "030"


@router.get("/governance/ristourne-slips/{year}", response=list[GovSlipOut])
def ristourne_slip_list(request: HttpRequest, year: int) -> list[GovSlipOut]:
    """What the RL-1 (box O, code RL) and the T4A (box 030) need, per member."""
    _board(request)
    return [
        GovSlipOut(
            member_id=s.member.pk, number=s.member.number, name=s.member.full_name, amount=s.amount
        )
        for s in ristourne_slips(year)
    ]
