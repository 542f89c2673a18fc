"""Staff and board pages: prepare and call a meeting, record attendance and
minutes; open a ballot, count it, seat the elected; a member's shares
(payments, transfers, redemptions, repayments) and their withdrawal or
exclusion; the assembly's allocation of the ristournes and their payment.

Each page answers 404 to anyone who is not staff or a director (members who
are not on the board never learn they exist); each write is one service."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maille.core.exceptions import DomainError
from maille.core.http import acting_user
from maille.core.models import User
from maille.governance import board, selectors, services
from maille.governance import board_forms as f
from maille.governance.joining import activities_closing
from maille.governance.models import Ballot, Meeting, Membership
from maille.members.models import Member
from maille.members.selectors import member_of


def _board(request: HttpRequest) -> User:
    user = acting_user(request)
    selectors.require_board_or_staff(user)
    return user


def _problems(request: HttpRequest, form: Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def _act(request: HttpRequest, form: Form, do: Callable[[], object], done: str) -> None:
    """Validate ``form``, run one service; its refusal is shown, nothing written."""
    if not form.is_valid():
        _problems(request, form)
        return
    try:
        do()
    except (DomainError, PermissionError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)


# --- Meetings ------------------------------------------------------------------


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = _board(request)
    # The annual meeting reports on the last fiscal year ended (the by-laws').
    form = f.MeetingForm(
        request.POST or None, initial={"fiscal_year_end": selectors.last_fiscal_year_end()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        documents = [
            (kind, title, d[key])
            for key, kind, title in (
                ("statements", "statements", _("Financial statements")),
                ("report", "report", _("Board's report")),
                ("resolutions", "resolution", _("Proposed resolutions")),
            )
            if d[key].strip()
        ]
        try:
            meeting = services.meeting_create(
                kind=d["kind"],
                starts_at=d["starts_at"],
                agenda=d["agenda"],
                place=d["place"],
                online_link=d["online_link"],
                fiscal_year_end=d["fiscal_year_end"],
                documents=documents,
                acting_user=user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(meeting)
    return render(request, "governance/meeting_new.html", {"form": form})


def meeting_forms(meeting: Meeting) -> dict[str, Form]:
    return {
        "call_form": f.CallForm(initial={"decision_date": timezone.localdate()}),
        "attendance_form": f.AttendanceForm(),
        "minutes_form": f.MinutesForm(initial={"minutes": meeting.minutes}),
        "approve_form": f.ApproveForm(meeting=meeting),
    }


@login_required
@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _board(request)
    meeting = selectors.meeting_get(user=user, pk=pk)
    if action == "call":
        call = f.CallForm(request.POST)
        _act(
            request,
            call,
            lambda: board.meeting_convene(
                meeting=meeting,
                decision=call.decision(),
                acting_user=user,
            ),
            _("The meeting is called: the convocation goes to every member."),
        )
    elif action == "attendance":
        att = f.AttendanceForm(request.POST)
        _act(
            request,
            att,
            lambda: services.attendance_record(
                meeting=meeting,
                member=att.cleaned_data["member"],
                mode=att.cleaned_data["mode"],
                acting_user=user,
            ),
            _("Attendance recorded."),
        )
    elif action == "hold":
        _act(
            request,
            Form(request.POST),
            lambda: services.meeting_hold(meeting=meeting, acting_user=user),
            _("The meeting is held: quorum checked against the attendance."),
        )
    elif action == "minutes":
        mins = f.MinutesForm(request.POST)
        _act(
            request,
            mins,
            lambda: services.minutes_write(
                meeting=meeting, minutes=mins.cleaned_data["minutes"], acting_user=user
            ),
            _("Minutes saved."),
        )
    elif action == "approve":
        approve = f.ApproveForm(request.POST, meeting=meeting)
        _act(
            request,
            approve,
            lambda: services.minutes_approve(
                meeting=meeting, at=approve.cleaned_data["at"], acting_user=user
            ),
            _("Minutes approved."),
        )
    else:
        raise Http404
    return redirect(meeting)


# --- Ballots -------------------------------------------------------------------


@login_required
def ballots(request: HttpRequest) -> HttpResponse:
    user = _board(request)
    return render(
        request,
        "governance/ballots.html",
        {"ballots": selectors.ballot_list(user=user).select_related("meeting")},
    )


@login_required
def ballot_new(request: HttpRequest) -> HttpResponse:
    user = _board(request)
    initial = {}
    if (raw := request.GET.get("meeting", "")).isdigit():
        initial["meeting"] = int(raw)
    form = f.BallotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ballot = services.ballot_create(
                question=d["question"],
                kind=d["kind"],
                record_date=d["record_date"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                meeting=d["meeting"],
                majority=d["majority"],
                seats=d["seats"],
                secret=d["secret"],
                candidates=list(d["candidates"]),
                acting_user=user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("governance:ballot", pk=ballot.pk)
    return render(request, "governance/ballot_new.html", {"form": form})


@login_required
@require_POST
def ballot_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _board(request)
    ballot: Ballot = selectors.ballot_get(user=user, pk=pk)
    if action == "count":
        _act(
            request,
            Form(request.POST),
            lambda: services.ballot_count(ballot=ballot, acting_user=user),
            _("The vote is closed and counted."),
        )
    elif action == "seat":
        seat = f.SeatForm(request.POST)
        _act(
            request,
            seat,
            lambda: services.election_seat(
                ballot=ballot,
                started_on=seat.cleaned_data["started_on"],
                ended_on=seat.cleaned_data["ended_on"],
                acting_user=user,
            ),
            _("The elected take their seats on the board."),
        )
    else:
        raise Http404
    return redirect("governance:ballot", pk=ballot.pk)


# --- A member's shares and withdrawal ------------------------------------------------


def _member(user: User, pk: int) -> Member:
    selectors.require_board_or_staff(user)
    return get_object_or_404(Member.objects.filter(membership__isnull=False), pk=pk)


@login_required
def member_shares(request: HttpRequest, pk: int) -> HttpResponse:
    """One member's register entry and share statement, with the board's acts."""
    user = acting_user(request)
    member = _member(user, pk)
    today = timezone.localdate()
    return render(
        request,
        "governance/member_shares.html",
        {
            "member": member,
            "entry": selectors.register_entry(user=user, member=member),
            "movements": selectors.share_movements(user=user, member=member),
            "closing": activities_closing(member),
            "standing": selectors.standing_on(member, today),
            "staff": user.is_staff,
            "pay_form": f.PaymentForm(initial={"date": today}),
            "transfer_form": f.TransferForm(initial={"date": today, "decision_date": today}),
            "redeem_form": f.RedeemForm(initial={"date": today, "decision_date": today}),
            "repay_form": f.AmountForm(initial={"date": today}),
            "resign_form": f.ResignationForm(initial={"requested_on": today}),
            "withdraw_form": f.WithdrawalForm(initial={"effective_on": today}),
            "exclude_form": f.ExclusionForm(
                initial={"effective_on": today, "decision_date": today}
            ),
        },
    )


@login_required
@require_POST
def member_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = acting_user(request)
    member = _member(user, pk)
    if not user.is_staff:
        raise Http404  # directors read; staff record what the board decided
    post = request.POST
    form: Form
    do: Callable[[], object]
    if action == "pay":
        form = f.PaymentForm(post)
        do = lambda: services.shares_pay(  # noqa: E731
            member=member,
            amount=form.cleaned_data["amount"],
            date=form.cleaned_data["date"],
            method=form.cleaned_data["method"],
            acting_user=user,
        )
        done = _("Payment on shares recorded.")
    elif action == "transfer":
        form = transfer = f.TransferForm(post)
        do = lambda: board.shares_transfer_approved(  # noqa: E731
            member=member,
            to=transfer.cleaned_data["to"],
            shares=transfer.cleaned_data["shares"],
            date=transfer.cleaned_data["date"],
            decision=transfer.decision(),
            acting_user=user,
        )
        done = _("Shares transferred with the board's approval.")
    elif action == "redeem":
        form = redeem = f.RedeemForm(post)
        do = lambda: board.shares_redeem_approved(  # noqa: E731
            member=member,
            shares=redeem.cleaned_data["shares"],
            date=redeem.cleaned_data["date"],
            decision=redeem.decision(),
            acting_user=user,
        )
        done = _("Shares redeemed with the board's approval.")
    elif action == "repay":
        form = f.AmountForm(post)
        do = lambda: services.shares_repay(  # noqa: E731
            member=member,
            amount=form.cleaned_data["amount"],
            date=form.cleaned_data["date"],
            acting_user=user,
        )
        done = _("Redeemed shares repaid.")
    elif action == "resign":
        form = f.ResignationForm(post)
        do = lambda: services.resignation_request(  # noqa: E731
            member=member, requested_on=form.cleaned_data["requested_on"], acting_user=user
        )
        done = _("Resignation recorded.")
    elif action == "withdraw":
        form = f.WithdrawalForm(post)
        do = lambda: services.membership_end(  # noqa: E731
            member=member, effective_on=form.cleaned_data["effective_on"], acting_user=user
        )
        done = _("Withdrawal recorded; activities with nothing open are closed.")
    elif action == "exclude":
        form = exclude = f.ExclusionForm(post)
        do = lambda: board.member_exclude(  # noqa: E731
            member=member,
            effective_on=exclude.cleaned_data["effective_on"],
            reasons=exclude.cleaned_data["reasons"],
            hearing_on=exclude.cleaned_data["hearing_on"],
            hearing_notice_on=exclude.cleaned_data["hearing_notice_on"],
            decision=exclude.decision(),
            acting_user=user,
        )
        done = _("Exclusion recorded; activities with nothing open are closed.")
    elif action == "close-settled":
        closed = services.withdrawn_activities_close(member=member, acting_user=user)
        if closed:
            messages.success(
                request,
                _("Activities closed: %(codes)s.") % {"codes": ", ".join(a.code for a in closed)},
            )
        else:
            messages.error(request, _("Nothing to close: the balances are not settled yet."))
        return redirect("governance:member_shares", pk=member.pk)
    else:
        raise Http404
    _act(request, form, do, done)
    return redirect("governance:member_shares", pk=member.pk)


@login_required
@require_POST
def my_resignation(request: HttpRequest) -> HttpResponse:
    """A member resigns: a request with its date (the board then records the withdrawal)."""
    user = acting_user(request)
    member = member_of(user)
    if member is None or not Membership.objects.filter(member=member).exists():
        raise Http404
    form = f.ResignationForm(request.POST)
    _act(
        request,
        form,
        lambda: services.resignation_request(
            member=member, requested_on=form.cleaned_data["requested_on"], acting_user=user
        ),
        _("Your resignation is recorded."),
    )
    return redirect("governance:my_shares")


# --- Ristournes ----------------------------------------------------------------


@login_required
@require_POST
def ristourne_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _board(request)
    allocation = selectors.ristourne_get(user=user, pk=pk)
    if action == "allocate":
        form = f.AllocateForm(request.POST)

        def allocate() -> object:
            raw = form.cleaned_data["ballot"]
            ballot = selectors.ballot_get(user=user, pk=raw) if raw else None
            return services.ristourne_allocate(
                allocation=allocation,
                date=form.cleaned_data["date"],
                meeting=form.cleaned_data["meeting"],
                ballot=ballot,
                acting_user=user,
            )

        _act(request, form, allocate, _("The assembly's allocation is posted."))
    elif action == "pay":
        pay = f.PayForm(request.POST)
        _act(
            request,
            pay,
            lambda: services.ristourne_pay(
                allocation=allocation, date=pay.cleaned_data["date"], acting_user=user
            ),
            _("Ristournes paid in shares; those in cash go in the next bank file."),
        )
    else:
        raise Http404
    return redirect("governance:ristourne", pk=allocation.pk)
