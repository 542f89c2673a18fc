"""Coworking pages: find and book, my bookings and passes, the guest page; the
iCal feeds and links. Staff's pages are in ``staff_views``.

Members and staff only (others get 404), except the guest page and the
signed links (feeds, a booking's ``.ics``), which are public.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maille.core.exceptions import DomainError
from maille.core.http import acting_user
from maille.core.money import format_money
from maille.core.ratelimit import client_rate_limited
from maille.coworking import selectors, services, terms
from maille.coworking.forms import BookingForm, GuestForm, PassBuyForm, add_refusal, day_param
from maille.coworking.ical import booking_ics, calendar_of
from maille.coworking.models import Booking, BookingStatus, Feed, ResourceKind
from maille.documents.exceptions import LinkInvalid
from maille.documents.links import document_from_token, link_path
from maille.documents.marks import mark_viewed
from maille.members.models import ActivityStatus
from maille.members.selectors import activity_list, member_of, member_or_404


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Find a place: the sites and their resources, my next bookings."""
    user = acting_user(request)
    sites = selectors.site_list().prefetch_related(
        Prefetch("resources", queryset=selectors.resource_list())
    )
    upcoming = selectors.booking_list(user=user).filter(
        status=BookingStatus.ACTIVE, end__gte=timezone.now()
    )
    if user.is_staff:
        upcoming = upcoming.none()
    return render(
        request,
        "coworking/home.html",
        {
            "sites": sites,
            "upcoming": upcoming.order_by("start")[:5],
            "reports": selectors.can_see_reports(user),
        },
    )


def _week_row(row: selectors.WeekRow) -> SafeString:
    """One resource's row of the week view, written here rather than by the template
    engine: 200 resources × 7 days of template nodes cost most of the page's time
    (bench/coworking.py)."""
    url = reverse("coworking:book", args=[row.resource.pk])
    cells = "".join(
        "<td>—</td>"
        if pct < 0
        else (
            f'<td><a href="{url}?date={iso}">{pct} %<svg viewBox="0 0 100 6" width="100%" '
            f'height="6" aria-hidden="true"><rect width="100" height="6" fill="#bbf7d0"/>'
            f'<rect width="{pct}" height="6" fill="#b91c1c"/></svg></a></td>'
        )
        for iso, pct in row.days
    )
    return format_html(
        '<tr><th scope="row"><a href="{}">{}</a></th>{}</tr>',
        url,
        row.resource.name,
        mark_safe(cells),  # noqa: S308 (numbers, ISO dates and a reversed URL only)
    )


@login_required
def week(request: HttpRequest, pk: int) -> HttpResponse:
    """Which rooms and desks of a site are free when, for a week."""
    acting_user(request)
    site = get_object_or_404(selectors.site_list(), pk=pk)
    today = timezone.localdate()
    monday = selectors.week_of(day_param(request.GET.get("start"), today))
    kind = request.GET.get("kind", "")
    if kind not in ResourceKind.values:
        kind = ""
    view = selectors.week_view(site, monday, kind=kind)
    return render(
        request,
        "coworking/week.html",
        {
            "week": view,
            "rows": [_week_row(row) for row in view.rows],
            "kind": kind,
            "kinds": ResourceKind.choices,
            "previous": monday - dt.timedelta(weeks=1),
            "next": monday + dt.timedelta(weeks=1),
            "days": list(zip(view.days, view.open_days, strict=True)),
        },
    )


@login_required
def day(request: HttpRequest, pk: int) -> HttpResponse:
    """Which rooms and desks of a site are free when, on one day (made for a phone)."""
    acting_user(request)
    site = get_object_or_404(selectors.site_list(), pk=pk)
    today = timezone.localdate()
    chosen = day_param(request.GET.get("date"), today)
    kind = request.GET.get("kind", "")
    if kind not in ResourceKind.values:
        kind = ""
    return render(
        request,
        "coworking/day.html",
        {
            "view": selectors.site_day(site, chosen, kind=kind),
            "kind": kind,
            "kinds": ResourceKind.choices,
            "previous": chosen - dt.timedelta(days=1),
            "next": chosen + dt.timedelta(days=1),
            "monday": selectors.week_of(chosen),
        },
    )


def _time(value: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """Book a resource for one of my activities (once, or every week)."""
    user = acting_user(request)
    resource = selectors.resource_get(pk)
    activities = activity_list(user=user).filter(status=ActivityStatus.OPEN, kind="member")
    if not user.is_staff:
        activities = activities.filter(owners__user=user)
    day = day_param(request.GET.get("date"), timezone.localdate())
    initial: dict[str, Any] = {"date": day, "weeks": 1}
    # A free time chosen in the day view comes filled in.
    for name in ("start_time", "end_time"):
        if (chosen := _time(request.GET.get(name))) is not None:
            initial[name] = chosen
    if len(own := list(activities[:2])) == 1:
        initial["activity"] = own[0]
    form = BookingForm(request.POST or None, activities=activities, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = data["date"]
        try:
            slots = services.weekly_slots(
                day=day,
                start_time=data["start_time"],
                end_time=data["end_time"],
                weeks=data["weeks"],
            )
            made = services.booking_series_create(
                resource=resource, activity=data["activity"], slots=slots, acting_user=user
            )
        except (DomainError, ValidationError) as exc:
            add_refusal(form, exc)
        except PermissionError as exc:
            raise Http404 from exc
        else:
            messages.success(
                request,
                _("Booked: %(n)s time(s). A confirmation is on its way by email.")
                % {"n": len(made)},
            )
            return redirect("coworking:mine")
    return render(
        request,
        "coworking/book.html",
        {
            "resource": resource,
            "form": form,
            "availability": selectors.availability(resource, day),
            "price": terms.price_in_force(resource, day),
            "rule": terms.rule_in_force(resource, day),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My bookings, passes, loans and my calendar feed."""
    user = acting_user(request)
    member = member_of(user)
    feed_url = ""
    if member is not None:
        feed_url = request.build_absolute_uri(link_path(services.feed_of(member=member)))
    passes = list(selectors.passes_of(user=user).filter(member__user=user))
    today = timezone.localdate()
    offers = selectors.pass_offers(today)
    activities = activity_list(user=user).filter(owners__user=user, status=ActivityStatus.OPEN)
    pass_form = PassBuyForm(offers=offers, activities=activities, initial={"valid_from": today})
    return render(
        request,
        "coworking/mine.html",
        {
            "bookings": selectors.my_bookings(user=user),
            "passes": [(p, services.pass_hours_left(p)) for p in passes],
            "loans": selectors.loans_of(user=user).filter(member__user=user)[:20],
            "feed_url": feed_url,
            "pass_form": pass_form if member is not None else None,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    booking = selectors.booking_get(user=user, pk=pk)
    try:
        done = services.booking_cancel(booking=booking, acting_user=user)
    except DomainError as exc:
        messages.error(request, str(exc))
    except PermissionError as exc:
        raise Http404 from exc
    else:
        messages.success(
            request,
            _("Cancelled. Refunded to the activity: %(refund)s.")
            % {"refund": format_money(done.refund, request.LANGUAGE_CODE)},
        )
    return redirect("coworking:staff_day" if user.is_staff else "coworking:mine")


@login_required
@require_POST
def pass_buy(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    member = member_or_404(user)
    today = timezone.localdate()
    form = PassBuyForm(
        request.POST,
        offers=selectors.pass_offers(today),
        activities=activity_list(user=user).filter(owners__user=user, status=ActivityStatus.OPEN),
    )
    if form.is_valid():
        try:
            services.pass_buy(
                member=member,
                activity=form.cleaned_data["activity"],
                offer=form.cleaned_data["offer"],
                valid_from=form.cleaned_data["valid_from"],
                acting_user=user,
            )
        except (DomainError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Pass bought."))
    else:
        messages.error(request, _("Choose a pass, an activity and a start date."))
    return redirect("coworking:mine")


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    member = member_or_404(user)
    services.feed_revoke(feed=services.feed_of(member=member), acting_user=user)
    messages.success(request, _("The old calendar address no longer works; here is the new one."))
    return redirect("coworking:mine")


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """An iCal feed (public, signed, never expires, revocable)."""
    try:
        found: Feed = document_from_token("coworking_feed", token)
    except LinkInvalid as exc:
        raise Http404 from exc
    since = timezone.now() - dt.timedelta(days=60)
    bookings = Booking.objects.filter(status=BookingStatus.ACTIVE, end__gte=since).select_related(
        "resource__site", "member__user"
    )
    if found.member is not None:
        bookings = bookings.filter(member=found.member)
        name = _("My bookings")
    elif found.resource is not None:
        bookings = bookings.filter(resource=found.resource)
        name = found.resource.name
    else:  # pragma: no cover - the constraint says one or the other
        raise Http404
    return _ics(calendar_of(name, bookings.order_by("start")[:2000]), "maille.ics")


def booking_link(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link of a confirmation email: the booking as an ``.ics``."""
    try:
        booking: Booking = document_from_token("coworking_booking", token)
    except LinkInvalid as exc:
        raise Http404 from exc
    mark_viewed(booking)
    return _ics(booking_ics(booking), f"reservation-{booking.pk}.ics")


def _guest_look(data: Any, resources: Any) -> dict[str, Any]:
    """What the guest page shows for the chosen resource, day and times: the busy
    and free times (never who booked) and the price with its taxes."""
    chosen = str(data.get("resource") or "")
    resource = resources.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if resource is None:
        return {}
    day = day_param(data.get("date"), timezone.localdate())
    look: dict[str, Any] = {"availability": selectors.availability(resource, day), "quote": None}
    start, end = _time(data.get("start_time")), _time(data.get("end_time"))
    if start is not None and end is not None and end > start:
        # A time in the daylight-saving gap has no price: the booking form says why.
        with contextlib.suppress(DomainError):
            look["quote"] = selectors.guest_quote(
                resource, terms.local_instant(day, start), terms.local_instant(day, end)
            )
    return look


def guest(request: HttpRequest) -> HttpResponse:
    """A guest (not a member) books here; the co-op invoices them (GST and QST).

    Choosing a resource, a day and times (``?resource=…&date=…&start_time=…&end_time=…``)
    shows when it is busy and free and what the booking costs with taxes."""
    resources = selectors.resource_list().exclude(kind=ResourceKind.EQUIPMENT)
    chosen = request.POST if request.method == "POST" else request.GET
    initial = {
        name: chosen[name]
        for name in ("resource", "date", "start_time", "end_time")
        if chosen.get(name)
    }
    form = GuestForm(request.POST or None, resources=resources, initial=initial)
    done = None
    if request.method == "POST" and client_rate_limited(
        request,
        scope="coworking-guest",
        limit=settings.MAILLE_COWORKING_GUEST_POSTS_PER_HOUR,
        window=3600,
    ):
        form.full_clean()
        form.add_error(
            None, _("Too many booking attempts from your connection: try again in an hour.")
        )
        return render(request, "coworking/guest.html", {"form": form, "done": None}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = services.guest_booking_create(
                resource=data["resource"],
                start=terms.local_instant(data["date"], data["start_time"], field=_("from")),
                end=terms.local_instant(data["date"], data["end_time"], field=_("to")),
                name=data["name"],
                email=data["email"],
                company=data["company"],
                province=data["province"],
                postal_code=data["postal_code"],
                language=(request.LANGUAGE_CODE or "fr")[:2],
            )
        except (DomainError, ValidationError) as exc:
            add_refusal(form, exc)
    return render(
        request,
        "coworking/guest.html",
        {"form": form, "done": done, "resources": resources, **_guest_look(chosen, resources)},
    )
