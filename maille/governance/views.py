"""Governance pages: the public application, a member's shares and votes, the
board's and staff's applications, register, meetings and ristournes."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.exceptions import DomainError
from maille.core.http import acting_user
from maille.core.money import money_str
from maille.documents.exceptions import LinkInvalid
from maille.documents.links import document_from_token
from maille.governance import selectors, services
from maille.governance.board_forms import AllocateForm, PayForm, ResignationForm, SeatForm
from maille.governance.board_views import meeting_forms
from maille.governance.forms import (
    ApplicationForm,
    DecisionForm,
    ReceiptForm,
    ReviewForm,
    RistourneForm_,
    SubscribeForm,
    application_rate_limited,
)
from maille.governance.meetings import meeting_warnings
from maille.governance.models import Membership
from maille.governance.ristournes import ristourne_slips
from maille.governance.voting import ballot_outcome, receipt_counted
from maille.members.selectors import directors, member_of


def apply(request: HttpRequest) -> HttpResponse:
    """The public application form (no login)."""
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and application_rate_limited(request):
        form.full_clean()
        form.add_error(None, _("Too many applications from your connection: try again in an hour."))
        return render(request, "governance/apply.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                consent=form.cleaned_data.pop("consent"), **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "governance/apply_done.html")
    return render(request, "governance/apply.html", {"form": form})


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "governance/applications.html",
        {"applications": selectors.application_list(user=user)},
    )


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    app = selectors.application_get(user=user, pk=pk)
    review = ReviewForm(
        request.POST if "review" in request.POST else None, initial={"notes": app.adviser_notes}
    )
    decide = DecisionForm(
        request.POST if "decide" in request.POST else None,
        directors=directors(),
        initial={"date": timezone.localdate()},
    )
    try:
        if "review" in request.POST and review.is_valid():
            services.application_review(
                application=app, notes=review.cleaned_data["notes"], acting_user=user
            )
            return redirect("governance:application", pk=app.pk)
        if "decide" in request.POST and decide.is_valid():
            services.application_decide(
                application=app,
                admit=decide.cleaned_data["admit"],
                date=decide.cleaned_data["date"],
                text=decide.cleaned_data["text"],
                directors_present=list(decide.cleaned_data["directors_present"]),
                acting_user=user,
            )
            return redirect("governance:application", pk=app.pk)
    except (DomainError, PermissionError) as exc:
        messages.error(request, str(exc))
    return render(
        request, "governance/application.html", {"app": app, "review": review, "decide": decide}
    )


@login_required
def my_shares(request: HttpRequest) -> HttpResponse:
    """A member's register entry, share statement and subscription."""
    user = acting_user(request)
    member = member_of(user)
    if member is None or not Membership.objects.filter(member=member).exists():
        raise Http404
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.shares_subscribe(
                member=member,
                shares=form.cleaned_data["shares"],
                method=form.cleaned_data["method"],
                date=timezone.localdate(),
                acting_user=user,
            )
        except DomainError as exc:
            form.add_error("shares", str(exc))
        else:
            return redirect("governance:my_shares")
    entry = selectors.register_entry(user=user, member=member)
    bylaws = selectors.bylaws_on()
    return render(
        request,
        "governance/my_shares.html",
        {
            "entry": entry,
            "movements": selectors.share_movements(user=user, member=member),
            "form": form,
            "bylaws": bylaws,
            "qualifying": bylaws.qualifying_shares(entry.membership.category),
            "standing": selectors.standing_on(member, timezone.localdate()),
            "ballots": selectors.ballots_open_to(user),
            "resign_form": ResignationForm(initial={"requested_on": timezone.localdate()}),
        },
    )


def _register_rows(request: HttpRequest) -> tuple[dt.date, list[selectors.RegisterRow]]:
    user = acting_user(request)
    as_of = timezone.localdate()
    raw = request.GET.get("as_of", "")
    if raw:
        try:
            as_of = dt.date.fromisoformat(raw)
        except ValueError:
            as_of = timezone.localdate()
    return as_of, selectors.register(user=user, as_of=as_of)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    as_of, rows = _register_rows(request)
    return render(request, "governance/register.html", {"rows": rows, "as_of": as_of})


REGISTER_COLUMNS = (
    "number",
    "name",
    "address",
    "category",
    "admitted_on",
    "withdrawn_on",
    "shares_subscribed",
    "shares_transferred_in",
    "shares_transferred_out",
    "shares_redeemed",
    "shares_held",
    "amount_subscribed",
    "paid",
    "owing",
    "to_repay",
)


@login_required
def register_csv(request: HttpRequest) -> HttpResponse:
    as_of, rows = _register_rows(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registre-{as_of}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Register of members as of %(d)s") % {"d": as_of}])
    writer.writerow(REGISTER_COLUMNS)
    for r in rows:
        m, f = r.member, r.figures
        writer.writerow(
            [
                m.number,
                m.full_name,
                ", ".join(x for x in (m.street, m.city, m.province, m.postal_code) if x),
                r.membership.category,
                r.membership.admitted_on,
                r.membership.withdrawn_on or "",
                f.subscribed,
                f.transferred_in,
                f.transferred_out,
                f.redeemed,
                f.held,
                money_str(f.amount_subscribed),
                money_str(f.paid),
                money_str(f.owing),
                money_str(f.to_repay),
            ]
        )
    return response


@login_required
def register_pdf(request: HttpRequest) -> HttpResponse:
    from maille.contracts.coop import coop
    from maille.contracts.documents import render_pdf

    as_of, rows = _register_rows(request)
    pdf = render_pdf(
        "governance/pdf/register.html",
        {"rows": rows, "as_of": as_of, "coop": coop(), "printed": timezone.localtime()},
        language=request.LANGUAGE_CODE,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="registre-{as_of}.pdf"'
    return response


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "governance/meetings.html",
        {"meetings": selectors.meeting_list(user=user), "board": selectors.is_board_or_staff(user)},
    )


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    m = selectors.meeting_get(user=user, pk=pk)
    board = selectors.is_board_or_staff(user)
    context = {
        "meeting": m,
        "ballots": m.ballots.prefetch_related("options"),
        "attendances": m.attendances.select_related("member__user"),
        "warnings": meeting_warnings(m) if board else [],
        "board": board,
    }
    if board:
        context |= meeting_forms(m)
        context["bylaws"] = selectors.bylaws_on()
    return render(request, "governance/meeting.html", context)


def convocation_public(request: HttpRequest, token: str) -> HttpResponse:
    try:
        m = document_from_token("convocation", token)
    except LinkInvalid as exc:
        return render(
            request, "governance/convocation_invalid.html", {"message": str(exc)}, status=404
        )
    return render(request, "governance/convocation.html", {"meeting": m})


@login_required
def ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """Vote (members), see the results once counted, check a receipt."""
    user = acting_user(request)
    b = selectors.ballot_get(user=user, pk=pk)
    member = member_of(user)
    receipt = None
    checked = None
    receipt_form = ReceiptForm(request.POST if "check" in request.POST else None)
    if request.method == "POST" and "vote" in request.POST:
        if member is None:
            raise Http404
        try:
            choices = [int(c) for c in request.POST.getlist("choices")]
        except ValueError:
            choices = []
        try:
            receipt = services.vote_cast(ballot=b, choices=choices, acting_user=user)
        except DomainError as exc:
            messages.error(request, str(exc))
    if "check" in request.POST and receipt_form.is_valid():
        checked = receipt_counted(ballot=b, code=receipt_form.cleaned_data["code"])
    return render(
        request,
        "governance/ballot.html",
        {
            "ballot": b,
            "options": b.options.all(),
            "receipt": receipt,
            "voted": selectors.has_voted(b, member),
            "can_vote": b in selectors.ballots_open_to(user),
            "outcome": ballot_outcome(b) if b.counted_at else None,
            "voters": b.participations.count() if b.counted_at else None,
            "receipt_form": receipt_form,
            "checked": checked,
            "board": selectors.is_board_or_staff(user),
            "seat_form": SeatForm(initial={"started_on": timezone.localdate()}),
        },
    )


@login_required
def ristournes(request: HttpRequest) -> HttpResponse:
    """The simulation page: each member's ristourne before the vote."""
    user = acting_user(request)
    allocations = selectors.ristourne_list(user=user)
    form = RistourneForm_(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.ristourne_simulate(acting_user=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("governance:ristourne", pk=allocation.pk)
    return render(request, "governance/ristournes.html", {"allocations": allocations, "form": form})


@login_required
def ristourne(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    allocation = selectors.ristourne_get(user=user, pk=pk)
    lines = list(allocation.lines.select_related("member__user"))
    return render(
        request,
        "governance/ristourne.html",
        {
            "allocation": allocation,
            "period": selectors.fiscal_year_bounds(allocation.fiscal_year),
            "lines": lines,
            "total": sum((r.amount for r in lines), start=allocation.ristournes * 0),
            "slips": ristourne_slips(allocation.paid_on.year) if allocation.paid_on else [],
            "board": True,
            "staff": user.is_staff,
            "allocate_form": AllocateForm(initial={"date": timezone.localdate()}),
            "pay_form": PayForm(initial={"date": timezone.localdate()}),
        },
    )
