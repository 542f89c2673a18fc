"""An activity with several owners: each owner answers for its bookings.

Camille and Jérôme run "Studio partagé" together. Camille books the room for
it; Jérôme sees the booking in his "my bookings" and may cancel it (the
activity is refunded). Another member, Éloïse, sees nothing and may not cancel.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from maille.conftest import login
from maille.coworking import selectors, services
from maille.coworking.models import BookingStatus
from maille.coworking.tests.helpers import at, open_day
from maille.coworking.tests.test_api import client_for
from maille.payroll.tests.helpers import fund
from maille.tests_support import factories


@pytest.fixture
def shared(camille, jerome):
    activity = factories.ActivityFactory(name="Studio partagé", owners=[camille, jerome])
    fund(activity, "500.00")
    return activity


@pytest.fixture
def eloise(db):
    return factories.MemberFactory(
        user__email="eloise@maille.test", user__first_name="Éloïse", user__last_name="Roy"
    )


@pytest.fixture
def booking(room, shared, camille):
    day = open_day()
    return services.booking_create(
        resource=room,
        activity=shared,
        start=at(day, 9),
        end=at(day, 11),
        acting_user=camille.user,
        notify=False,
    )


def test_every_owner_sees_the_activitys_bookings(booking, camille, jerome, eloise):
    assert list(selectors.my_bookings(user=jerome.user)) == [booking]
    assert list(selectors.my_bookings(user=camille.user)) == [booking]
    assert list(selectors.my_bookings(user=eloise.user)) == []
    page = login(jerome.user).get("/coworking/mine/")
    html = page.content.decode()
    assert list(page.context["bookings"]) == [booking]
    assert "Salle Jarry" in html and "réservé par Camille Tremblay" in html
    assert f"/coworking/bookings/{booking.pk}/cancel/" in html


def test_another_owner_cancels_and_the_activity_is_refunded(booking, jerome, shared):
    answer = login(jerome.user).post(f"/coworking/bookings/{booking.pk}/cancel/")
    assert answer.status_code == 302 and answer["Location"] == "/coworking/mine/"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.refund == Decimal("40.00")  # cancelled well ahead: all of it


def test_another_owner_cancels_through_the_api(booking, jerome):
    answer = client_for(jerome.user).post(f"/api/v1/coworking/bookings/{booking.pk}/cancel")
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"


def test_a_member_who_does_not_own_the_activity_may_not_cancel(booking, eloise):
    assert login(eloise.user).post(f"/coworking/bookings/{booking.pk}/cancel/").status_code == 404
    answer = client_for(eloise.user).post(f"/api/v1/coworking/bookings/{booking.pk}/cancel")
    assert answer.status_code == 404
    with pytest.raises(PermissionError):
        services.booking_cancel(booking=booking, acting_user=eloise.user)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACTIVE and booking.refund == 0
    assert f"/coworking/bookings/{booking.pk}/cancel/" not in (
        login(eloise.user).get("/coworking/mine/").content.decode()
    )


def test_an_owner_who_left_the_activity_no_longer_answers_for_it(booking, jerome, shared):
    shared.owners.remove(jerome)
    assert list(selectors.my_bookings(user=jerome.user)) == []
    with pytest.raises(PermissionError):
        services.booking_cancel(booking=booking, acting_user=jerome.user)
