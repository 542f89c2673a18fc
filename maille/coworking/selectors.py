"""Reads of coworking, scoped to the person asking.

Resources, sites and availability are seen by every member and staff (and,
on the guest page, by anyone: only free and busy times, never who booked).
A member sees their own bookings, passes and loans; staff see all. The week
view of a site reads its bookings in one query, whatever the number of
resources (bench/coworking.py: 200 resources, 10 000 bookings a month).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from maille.core.models import User
from maille.core.money import ZERO
from maille.coworking import terms
from maille.coworking.models import (
    Booking,
    BookingStatus,
    Loan,
    Pass,
    PassPrice,
    Resource,
    Site,
)
from maille.members.models import Activity
from maille.members.selectors import is_director
from maille.taxes import sales


def can_see_reports(user: User) -> bool:
    """Occupancy and revenue: staff and the board."""
    return bool(user.is_staff or is_director(user))


def site_list() -> QuerySet[Site]:
    return Site.objects.filter(is_active=True)


def resource_list(*, site_id: int | None = None) -> QuerySet[Resource]:
    qs = Resource.objects.filter(is_active=True, site__is_active=True).select_related("site")
    if site_id is not None:
        qs = qs.filter(site_id=site_id)
    return qs.order_by("site__name", "kind", "name")


def resource_get(pk: int) -> Resource:
    resource = resource_list().filter(pk=pk).first()
    if resource is None:
        raise Http404
    return resource


def _owned_by(user: User) -> Q:
    """Bookings the user made, or charged to an activity they own (an activity may
    have several owners: each of them answers for its bookings)."""
    owns = Activity.owners.through.objects.filter(
        activity_id=OuterRef("activity_id"), member__user=user
    )
    return Q(member__user=user) | Q(Exists(owns))


def booking_list(*, user: User) -> QuerySet[Booking]:
    qs = Booking.objects.select_related("resource__site", "activity", "member__user", "invoice")
    if user.is_staff:
        return qs
    if user.is_member:
        return qs.filter(_owned_by(user))
    return qs.none()


def booking_get(*, user: User, pk: int) -> Booking:
    booking = booking_list(user=user).filter(pk=pk).first()
    if booking is None:
        raise Http404
    return booking


def passes_of(*, user: User) -> QuerySet[Pass]:
    qs = Pass.objects.select_related("site", "activity", "member__user")
    return qs if user.is_staff else qs.filter(member__user=user)


def pass_offers(day: dt.date) -> QuerySet[PassPrice]:
    """The pass offers in force on ``day``: per site and kind, the latest that has
    started (an older offer of the same site and kind is replaced, never sold again)."""
    newer = PassPrice.objects.filter(
        site=OuterRef("site"), kind=OuterRef("kind"), valid_from__lte=day
    ).filter(
        Q(valid_from__gt=OuterRef("valid_from"))
        | Q(valid_from=OuterRef("valid_from"), pk__gt=OuterRef("pk"))
    )
    return (
        PassPrice.objects.filter(valid_from__lte=day, site__is_active=True)
        .exclude(Exists(newer))
        .select_related("site")
        .order_by("site__name", "kind", "hours")
    )


def loans_of(*, user: User) -> QuerySet[Loan]:
    qs = Loan.objects.select_related("resource__site", "member__user")
    return qs if user.is_staff else qs.filter(member__user=user)


@dataclass(frozen=True, slots=True)
class Interval:
    start: dt.datetime
    end: dt.datetime

    @property
    def first_hour_end(self) -> dt.datetime:
        """The end of a booking of an hour from the start (less when the gap is shorter):
        what the day view proposes."""
        return min(self.end, self.start + dt.timedelta(hours=1))


@dataclass(frozen=True, slots=True)
class Availability:
    resource: Resource
    day: dt.date
    opens: dt.datetime | None
    closes: dt.datetime | None
    busy: list[Interval]
    free: list[Interval]


def _free(
    opens: dt.datetime,
    closes: dt.datetime,
    busy: list[Interval],
    buffer: dt.timedelta = dt.timedelta(0),
) -> list[Interval]:
    """The free times between the busy ones, as a new booking may take them.

    A booking blocks ``[start, end + buffer)`` (its rule's buffer): one ending
    right at the next busy start would overlap it, so a free time before a busy
    one ends ``buffer`` earlier. The last free time runs to closing: the site
    closes then, and the buffer after it falls outside opening hours."""
    free: list[Interval] = []
    cursor = opens
    for b in sorted(busy, key=lambda i: i.start):
        if b.start - buffer > cursor:
            free.append(Interval(cursor, min(b.start - buffer, closes)))
        cursor = max(cursor, b.end)
        if cursor >= closes:
            break
    if cursor < closes:
        free.append(Interval(cursor, closes))
    return [f for f in free if f.end > f.start]


def availability(resource: Resource, day: dt.date) -> Availability:
    """Busy (buffers included) and free times of a resource on a local day; the
    free times leave room for the buffer of a booking that would fill them."""
    window = terms.opening_window(resource.site, day)
    if window is None:
        return Availability(resource, day, None, None, [], [])
    opens, closes = window
    busy = [
        Interval(s, b)
        for s, b in Booking.objects.filter(
            resource=resource,
            status=BookingStatus.ACTIVE,
            start__lt=closes,
            blocked_until__gt=opens,
        )
        .order_by("start")
        .values_list("start", "blocked_until")
    ]
    buffer = terms.buffer_of(terms.rule_in_force(resource, day))
    return Availability(resource, day, opens, closes, busy, _free(opens, closes, busy, buffer))


@dataclass(frozen=True, slots=True)
class GuestQuote:
    """What a guest would pay for a slot: the price before tax and the sales taxes."""

    hours: Decimal
    taxes: sales.TaxResult

    @property
    def price(self) -> Decimal:
        return self.taxes.subtotal


def guest_quote(
    resource: Resource, start: dt.datetime, end: dt.datetime, *, on: dt.date | None = None
) -> GuestQuote | None:
    """The guest price of ``[start, end)`` with its taxes, as the invoice will carry
    them (``guest_booking_invoice``): one line, taxed where the space is (the
    site's province, as ``Invoice.supply_province``), not at the guest's address.
    None when the resource has no price on that day."""
    day = terms.local(start).date()
    price_row = terms.price_in_force(resource, day)
    if price_row is None or end <= start:
        return None
    hours = terms.hours_between(start, end)
    price = terms.price_of(price_row, hours, guest=True)
    return GuestQuote(
        hours,
        sales.compute(
            lines=[sales.TaxLine(price)],
            on=on or timezone.localdate(),
            country="CA",
            province=resource.site.province,
            home_province=settings.MAILLE_COOP_PROVINCE,
        ),
    )


@dataclass(frozen=True)
class SiteDay:
    site: Site
    day: dt.date
    opens: dt.datetime | None
    closes: dt.datetime | None
    rows: list[Availability]


def site_day(site: Site, day: dt.date, *, kind: str = "") -> SiteDay:
    """Which resources of the site are free when on one day (3 queries, any size:
    the resources, their rules in force, the bookings)."""
    window = terms.opening_window(site, day)
    resources = list(resource_list(site_id=site.pk).filter(**({"kind": kind} if kind else {})))
    if window is None:
        return SiteDay(site, day, None, None, [])
    opens, closes = window
    busy: dict[int, list[Interval]] = defaultdict(list)
    for resource_id, start, blocked in (
        Booking.objects.filter(
            resource__site=site,
            status=BookingStatus.ACTIVE,
            start__lt=closes,
            blocked_until__gt=opens,
        )
        .order_by("start")
        .values_list("resource_id", "start", "blocked_until")
    ):
        busy[resource_id].append(Interval(start, blocked))
    rules = terms.rules_in_force(resources, day)
    rows = [
        Availability(
            r,
            day,
            opens,
            closes,
            busy[r.pk],
            _free(opens, closes, busy[r.pk], terms.buffer_of(rules.get(r.pk))),
        )
        for r in resources
    ]
    return SiteDay(site, day, opens, closes, rows)


@dataclass
class WeekRow:
    resource: Resource
    #: per day: (the day in ISO 8601, percent of its opening hours booked; -1: closed)
    days: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Week:
    site: Site
    monday: dt.date
    days: list[dt.date]
    open_days: list[bool]
    rows: list[WeekRow]


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_view(site: Site, monday: dt.date, *, kind: str = "") -> Week:
    """Which resources of the site are free when, for seven days (3 queries)."""
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    holidays: terms.Holidays = {}
    windows = {d: terms.opening_window(site, d, holidays) for d in days}
    resources = list(resource_list(site_id=site.pk).filter(**({"kind": kind} if kind else {})))
    first = terms.local_instant(monday, dt.time(0))
    last = terms.local_instant(monday + dt.timedelta(days=7), dt.time(0))
    by_resource: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for resource_id, start, blocked in (
        Booking.objects.filter(
            resource__site=site,
            status=BookingStatus.ACTIVE,
            start__lt=last,
            blocked_until__gt=first,
        )
        .order_by("start")
        .values_list("resource_id", "start", "blocked_until")
    ):
        by_resource[resource_id].append((start, blocked))
    rows = []
    isos = [d.isoformat() for d in days]
    for resource in resources:
        used = [0.0] * 7
        for start, blocked in by_resource.get(resource.pk, ()):
            for i, d in enumerate(days):
                window = windows[d]
                if window is not None and blocked > window[0] and start < window[1]:
                    used[i] += (min(blocked, window[1]) - max(start, window[0])).total_seconds()
                    break  # a booking starts and ends on one day
        row = WeekRow(resource)
        for i, d in enumerate(days):
            window = windows[d]
            if window is None:
                row.days.append((isos[i], -1))
                continue
            total = (window[1] - window[0]).total_seconds()
            row.days.append((isos[i], min(100, round(100 * used[i] / total)) if total else 100))
        rows.append(row)
    return Week(site, monday, days, [windows[d] is not None for d in days], rows)


@dataclass(frozen=True)
class DayView:
    day: dt.date
    bookings: list[Booking]
    loans_out: list[Loan]
    overdue: list[Loan]
    guests_to_invoice: list[Booking]


def day_view(day: dt.date, *, now: dt.datetime | None = None) -> DayView:
    """Staff's view of a day: who is in, what equipment is out, what is overdue."""
    now = now or timezone.now()
    first = terms.local_instant(day, dt.time(0))
    last = first + dt.timedelta(days=1)
    bookings = list(
        Booking.objects.filter(status=BookingStatus.ACTIVE, start__lt=last, end__gt=first)
        .select_related("resource__site", "member__user", "activity")
        .order_by("resource__site__name", "start")
    )
    out = list(
        Loan.objects.filter(checked_in_at__isnull=True)
        .select_related("resource__site", "member__user")
        .order_by("due_at")
    )
    return DayView(
        day,
        bookings,
        out,
        [loan for loan in out if loan.due_at < now],
        list(guests_to_invoice()[:50]),
    )


def guests_to_invoice() -> QuerySet[Booking]:
    """Guests' bookings not invoiced yet: active, or cancelled late (the rule keeps a part)."""
    return (
        Booking.objects.filter(activity__isnull=True, invoice__isnull=True)
        .filter(Q(status=BookingStatus.ACTIVE) | Q(price__gt=F("refund")))
        .select_related("resource__site")
        .order_by("start")
    )


def overdue_loan_count(now: dt.datetime | None = None) -> int:
    return Loan.objects.filter(checked_in_at__isnull=True, due_at__lt=now or timezone.now()).count()


@dataclass(frozen=True)
class OccupancyRow:
    resource: Resource
    #: per period: percent of the open hours booked
    percents: list[int]


@dataclass(frozen=True, slots=True)
class SiteRevenue:
    """A site's revenue over the periods, before taxes."""

    site: Site
    members: Decimal  # members' bookings, net of refunds
    guests: Decimal  # guests' bookings, net of refunds (credited or never invoiced)
    passes: Decimal  # passes sold (their bookings cost nothing more: no double count)

    @property
    def total(self) -> Decimal:
        return self.members + self.guests + self.passes


@dataclass(frozen=True)
class Occupancy:
    periods: list[tuple[dt.date, dt.date]]  # [first day, last day]
    rows: list[OccupancyRow]
    revenue: list[SiteRevenue]


def _open_seconds(site: Site, first: dt.date, last: dt.date, holidays: terms.Holidays) -> float:
    total = 0.0
    day = first
    while day <= last:
        window = terms.opening_window(site, day, holidays)
        if window is not None:
            total += (window[1] - window[0]).total_seconds()
        day += dt.timedelta(days=1)
    return total


def occupancy(*, periods: list[tuple[dt.date, dt.date]], site_id: int | None = None) -> Occupancy:
    """Percent of open hours booked per resource and period; revenue per site over
    them: bookings (net of refunds) and passes sold."""
    resources = list(resource_list(site_id=site_id))
    start = terms.local_instant(periods[0][0], dt.time(0))
    end = terms.local_instant(periods[-1][1] + dt.timedelta(days=1), dt.time(0))
    booked: dict[tuple[int, int], float] = defaultdict(float)
    bookings = Booking.objects.filter(
        status=BookingStatus.ACTIVE, start__gte=start, start__lt=end
    ).values_list("resource_id", "start", "end")
    zone = terms.zone()
    for resource_id, b_start, b_end in bookings:
        day = b_start.astimezone(zone).date()
        for i, (first, last) in enumerate(periods):
            if first <= day <= last:
                booked[(resource_id, i)] += (b_end - b_start).total_seconds()
                break
    open_cache: dict[tuple[int, int], float] = {}
    holidays: terms.Holidays = {}
    rows = []
    for resource in resources:
        percents = []
        for i, (first, last) in enumerate(periods):
            key = (resource.site_id, i)
            if key not in open_cache:
                open_cache[key] = _open_seconds(resource.site, first, last, holidays)
            total = open_cache[key]
            percents.append(min(100, round(100 * booked[(resource.pk, i)] / total)) if total else 0)
        rows.append(OccupancyRow(resource, percents))
    revenue = []
    sums = (
        Booking.objects.filter(start__gte=start, start__lt=end)
        .values_list("resource__site_id", "activity_id")
        .annotate(total=Sum("price"), refunds=Sum("refund"))
    )
    by_site: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    # What was charged less what was refunded (a guest's refund is credited on
    # their invoice, or never invoiced): members' and guests' alike.
    for site_id_, activity_id, total, refunds in sums:
        net = Decimal(total or 0) - Decimal(refunds or 0)
        by_site[site_id_][0 if activity_id is not None else 1] += net
    # A pass counts in the period it starts, as a booking counts in the period
    # it takes place; the bookings it covers were charged nothing.
    passes: dict[int, Decimal] = {
        pass_site: Decimal(total or 0)
        for pass_site, total in Pass.objects.filter(
            valid_from__gte=periods[0][0], valid_from__lte=periods[-1][1]
        )
        .order_by()
        .values_list("site_id")
        .annotate(total=Sum("price"))
    }
    for site in site_list().filter(**({"pk": site_id} if site_id else {})):
        members, guests = by_site.get(site.pk, [ZERO, ZERO])
        revenue.append(SiteRevenue(site, members, guests, passes.get(site.pk, ZERO)))
    return Occupancy(periods, rows, revenue)


def weeks_back(today: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    monday = week_of(today)
    return [
        (monday - dt.timedelta(weeks=i), monday - dt.timedelta(weeks=i) + dt.timedelta(days=6))
        for i in range(count - 1, -1, -1)
    ]


def months_back(today: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    periods = []
    first = today.replace(day=1)
    for _i in range(count):
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        periods.append((first, nxt - dt.timedelta(days=1)))
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(periods))


def my_bookings(*, user: User, now: dt.datetime | None = None) -> QuerySet[Booking]:
    """ "My bookings": those I made and those of my activities (any owner's), from a
    month ago on; staff see theirs here too, everyone's in the day view."""
    now = now or timezone.now()
    return (
        booking_list(user=user)
        .filter(_owned_by(user), end__gte=now - dt.timedelta(days=30))
        .order_by("start")
    )
