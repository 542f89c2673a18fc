"""The booking API (a stable interface, ARCHITECTURE §7):

- ``GET /coworking/resources``: the bookable resources with today's prices;
- ``GET /coworking/resources/{id}/availability?date=YYYY-MM-DD``: the day's
  opening hours, busy times (buffers included) and free times (each can be
  booked whole: it ends early enough for the resource's buffer);
- ``POST /coworking/bookings`` ``{"resource_id", "activity_id", "start", "end"}``
  (ISO 8601 with an offset; any offset names an instant): 201 with the
  booking, 409 with a message when the slot is taken, 422 for a broken rule;
- ``POST /coworking/bookings/{id}/cancel``: 200 with the booking (refunded).

Members book for their own activities, staff for any; others get 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import AwareDatetime

from maille.core.http import acting_user
from maille.core.schemas import ErrorOut, Id, Money
from maille.coworking import selectors, services, terms
from maille.coworking.models import Booking, Resource
from maille.members.models import Activity

router = Router(tags=["coworking"])


class ResourceOut(Schema):
    id: int
    site_id: int
    site: str
    kind: str
    name: str
    capacity: int | None
    member_hour: Money | None
    member_day: Money | None
    guest_hour: Money | None
    guest_day: Money | None


class IntervalOut(Schema):
    start: dt.datetime
    end: dt.datetime


class AvailabilityOut(Schema):
    resource_id: int
    date: dt.date
    open: bool
    opens: dt.datetime | None
    closes: dt.datetime | None
    busy: list[IntervalOut]
    free: list[IntervalOut]


class AvailabilityQuery(Schema):
    date: dt.date


class BookingIn(Schema):
    resource_id: Id
    activity_id: Id
    start: AwareDatetime
    end: AwareDatetime


class BookingOut(Schema):
    id: int
    resource_id: int
    activity_id: int | None
    start: dt.datetime
    end: dt.datetime
    status: str
    price: Money
    refund: Money
    pass_id: int | None


def _out(booking: Booking) -> BookingOut:
    return BookingOut(
        id=booking.pk,
        resource_id=booking.resource_id,
        activity_id=booking.activity_id,
        start=terms.local(booking.start),
        end=terms.local(booking.end),
        status=booking.status,
        price=booking.price,
        refund=booking.refund,
        pass_id=booking.used_pass_id,
    )


def _resource_out(resource: Resource, today: dt.date) -> ResourceOut:
    price = terms.in_force(list(resource.prices.all()), today)
    money: dict[str, Decimal | None] = {
        k: getattr(price, k) if price else None
        for k in ("member_hour", "member_day", "guest_hour", "guest_day")
    }
    return ResourceOut(
        id=resource.pk,
        site_id=resource.site_id,
        site=resource.site.name,
        kind=resource.kind,
        name=resource.name,
        capacity=resource.capacity,
        **money,
    )


@router.get("/resources", response=list[ResourceOut], summary="Bookable resources")
def resources_list(request: HttpRequest) -> list[ResourceOut]:
    acting_user(request)
    today = timezone.localdate()
    return [_resource_out(r, today) for r in selectors.resource_list().prefetch_related("prices")]


@router.get(
    "/resources/{resource_id}/availability",
    response={200: AvailabilityOut, 404: ErrorOut, 422: ErrorOut},
    summary="Free and busy times of a resource on a day (America/Montreal)",
)
def resources_availability(
    request: HttpRequest, resource_id: Id, query: Query[AvailabilityQuery]
) -> AvailabilityOut:
    acting_user(request)
    resource = selectors.resource_get(resource_id)
    if abs((query.date - timezone.localdate()).days) > 3 * 366:
        raise ValidationError({"date": [_("This date is too far from today.")]})
    found = selectors.availability(resource, query.date)

    def intervals(items: list[selectors.Interval]) -> list[IntervalOut]:
        return [IntervalOut(start=terms.local(i.start), end=terms.local(i.end)) for i in items]

    return AvailabilityOut(
        resource_id=resource.pk,
        date=query.date,
        open=found.opens is not None,
        opens=terms.local(found.opens) if found.opens else None,
        closes=terms.local(found.closes) if found.closes else None,
        busy=intervals(found.busy),
        free=intervals(found.free),
    )


@router.post(
    "/bookings",
    response={201: BookingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Book a resource for one of your activities (409 when the slot is taken)",
)
def bookings_create(request: HttpRequest, payload: BookingIn) -> tuple[int, BookingOut]:
    user = acting_user(request)
    resource = selectors.resource_list().filter(pk=payload.resource_id).first()
    if resource is None:
        raise ValidationError({"resource_id": [_("There is no bookable resource with this id.")]})
    # Scoped as activity_list is (a member: their own; staff: any), in one query.
    activities = Activity.objects.filter(pk=payload.activity_id)
    if not user.is_staff:
        activities = activities.filter(owners__user=user)
    activity = activities.first()
    if activity is None:
        raise ValidationError({"activity_id": [_("No activity of yours has this id.")]})
    booking = services.booking_create(
        resource=resource,
        activity=activity,
        start=payload.start,
        end=payload.end,
        acting_user=user,
    )
    return 201, _out(booking)


@router.post(
    "/bookings/{booking_id}/cancel",
    response={200: BookingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Cancel a booking; the activity is refunded per the resource's rule",
)
def bookings_cancel(request: HttpRequest, booking_id: Id) -> BookingOut:
    user = acting_user(request)
    booking = selectors.booking_get(user=user, pk=booking_id)
    return _out(services.booking_cancel(booking=booking, acting_user=user))
