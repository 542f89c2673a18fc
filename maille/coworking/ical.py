"""iCalendar (RFC 5545) of bookings, written with the ``icalendar`` library.

A confirmation email carries one booking (or its whole series) as an ``.ics``
attachment; a feed lists a member's or a resource's bookings from 60 days
back. Times are written in UTC (``…Z``), which every calendar reads right
whatever its own time zone; each event's UID is stable, so a calendar that
refreshes a feed updates its events instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from maille.coworking.models import Booking

PRODID = "-//Maille//Coworking//FR"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _event(booking: Booking, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"booking-{booking.pk}@{settings.MAILLE_SITE_URL.split('//')[-1]}")
    event.add("dtstamp", stamp)
    event.add("dtstart", booking.start.astimezone(dt.UTC))
    event.add("dtend", booking.end.astimezone(dt.UTC))
    event.add(
        "summary",
        _("%(resource)s — %(who)s") % {"resource": booking.resource.name, "who": booking.who},
    )
    event.add("location", f"{booking.resource.site.name}, {booking.resource.site.address}")
    event.add("status", "CONFIRMED" if booking.is_active else "CANCELLED")
    return event


def calendar_of(name: str, bookings: Iterable[Booking]) -> bytes:
    cal = _calendar(name)
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for booking in bookings:
        cal.add_component(_event(booking, stamp))
    return bytes(cal.to_ical())


def booking_ics(booking: Booking) -> bytes:
    """The booking, or every booking of its series, for a calendar to import."""
    bookings = (
        list(booking.series.bookings.select_related("resource__site", "member__user"))
        if booking.series_id is not None and booking.series is not None
        else [booking]
    )
    cal = calendar_of(_("Booking"), bookings)
    return cal
