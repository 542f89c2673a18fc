"""Free times leave room for the buffer: what the pages and the API propose can be booked."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from maille.coworking import selectors, services
from maille.coworking.models import ResourceKind
from maille.coworking.tests.helpers import at, open_day, resource
from maille.coworking.tests.test_api import client_for


def _book(room, activity, start, end):
    return services.booking_create(
        resource=room,
        activity=activity,
        start=start,
        end=end,
        acting_user=activity.owners.get().user,
        notify=False,
    )


def test_the_free_time_before_a_booking_ends_a_buffer_earlier_and_can_be_booked(
    place, funded, camille
):
    studio = resource(place, name="Studio", buffer=15)
    day = open_day()
    _book(studio, funded, at(day, 10), at(day, 11))
    # The booking holds 10:00–11:15; a new one holds its end plus 15 minutes, so
    # it must end by 9:45.
    found = selectors.availability(studio, day)
    assert [(f.start, f.end) for f in found.free] == [
        (at(day, 8), at(day, 9, 45)),
        (at(day, 11, 15), at(day, 18)),
    ]
    row = next(r for r in selectors.site_day(place, day).rows if r.resource == studio)
    assert row.free == found.free
    api = client_for(camille.user)
    answer = api.get(f"/api/v1/coworking/resources/{studio.pk}/availability?date={day}").json()
    first = answer["free"][0]
    assert dt.datetime.fromisoformat(first["end"]) == at(day, 9, 45)
    # Booking exactly what was proposed succeeds.
    made = api.post(
        "/api/v1/coworking/bookings",
        {
            "resource_id": studio.pk,
            "activity_id": funded.pk,
            "start": first["start"],
            "end": first["end"],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert selectors.availability(studio, day).free == [
        selectors.Interval(at(day, 11, 15), at(day, 18))
    ]


def test_the_day_view_and_booking_page_propose_times_that_leave_the_buffer(
    as_camille, place, funded
):
    studio = resource(place, name="Studio", buffer=15)
    day = open_day()
    _book(studio, funded, at(day, 8, 30), at(day, 10))
    day_page = as_camille.get(f"/coworking/sites/{place.pk}/day/?date={day}").content.decode()
    assert "Libre 10:15–18:00" in day_page
    # 8:00–8:30 minus the 15-minute buffer: 8:00–8:15.
    assert "start_time=08:00&amp;end_time=08:15" in day_page
    book_page = as_camille.get(f"/coworking/resources/{studio.pk}/book/?date={day}")
    assert "08:00–08:15" in book_page.content.decode()


def test_the_day_of_a_site_reads_the_rules_of_all_its_resources_at_once(place, funded):
    day = open_day()
    studio = resource(place, name="Studio", buffer=15)
    _book(studio, funded, at(day, 10), at(day, 11))

    def queries() -> int:
        with CaptureQueriesContext(connection) as done:
            selectors.site_day(place, day)
        return len(done)

    few = queries()
    for n in range(5):
        resource(place, ResourceKind.DESK, f"Bureau {n}", buffer=n * 5)
    assert queries() == few
