"""On a 390 px phone in Chromium: a member opens a site's day view, taps a free time
of a room, books it for their activity and finds it in "my bookings"; another
member gets 404 on staff's pages. Every page checked like the first-day journeys
(no server or console error, no untranslated sentence, no horizontal scroll)."""

from __future__ import annotations

import re

import pytest

from maille.coworking.models import Booking, BookingStatus
from maille.coworking.tests import helpers
from maille.payroll.tests.helpers import fund
from maille.web.tests.test_journeys import (  # noqa: F401 (fixtures)
    _posted_entries_removed_after,
    browser,
    pytestmark,
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_member_books_a_free_time_from_the_day_view(
    browser,  # noqa: F811 (the journeys fixture)
    language,
    camille,
    camille_activity,
    jerome,
):
    fund(camille_activity, "1000.00")
    site = helpers.site()
    room = helpers.resource(site)
    helpers.resource(site, "desk", "Bureau 1", hour="5.00")
    day = helpers.open_day()
    # 8:00–9:00 is taken: the first free time of the room starts at 9:00.
    Booking.objects.create(
        resource=room,
        activity=camille_activity,
        member=camille,
        start=helpers.at(day, 8),
        end=helpers.at(day, 9),
        blocked_until=helpers.at(day, 9),
        price=0,
    )

    member = browser(language)
    member.login("camille@maille.test")
    member.go("/coworking/")
    member.click(f"a[href='/coworking/sites/{site.pk}/day/']")
    member.go(f"/coworking/sites/{site.pk}/day/?date={day.isoformat()}")
    page = member.page
    assert "Salle Jarry" in page.locator("main").inner_text()
    free = page.locator(f"a[href^='/coworking/resources/{room.pk}/book/']").first
    # Free from 9:00 to closing; the link proposes the first hour.
    assert re.search(r"09:00.18:00", free.inner_text()), free.inner_text()
    member.click(f"a[href^='/coworking/resources/{room.pk}/book/']")
    # The time chosen in the day view is filled in; the activity is chosen.
    assert page.input_value("input[name=start_time]") == "09:00"
    assert page.input_value("input[name=end_time]") == "10:00"
    assert page.input_value("input[name=date]") == day.isoformat()
    page.select_option("select[name=activity]", str(camille_activity.pk))
    member.click("main form[method=post] button[type=submit]")
    assert page.url.endswith("/coworking/mine/"), page.url
    booking = Booking.objects.get(activity=camille_activity, start=helpers.at(day, 9))
    assert booking.status == BookingStatus.ACTIVE and booking.price == 20
    mine = page.locator("main").inner_text()
    assert "Salle Jarry" in mine and "09:00" in mine

    # Another member sees no staff page and cannot cancel it.
    other = browser(language)
    other.login("jerome@maille.test")
    assert other.status("/coworking/staff/resources/") == 404
    assert other.status("/coworking/staff/sites/") == 404
    assert other.status(f"/coworking/bookings/{booking.pk}/cancel/") in (404, 405)
