"""An equipment item is either out on loan or booked, never promised twice:
booking an item out on loan is refused over the loan (and while it is
overdue), lending an item someone else booked is refused over their booking,
and a loan against the member's own booking names it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from maille.coworking import services
from maille.coworking.exceptions import BookingConflict, SlotTaken
from maille.coworking.models import Booking, Loan
from maille.coworking.tests.helpers import at, open_day, resource
from maille.payroll.tests.helpers import fund


@pytest.fixture
def camera(place):
    return resource(place, "equipment", "Caméra Sony", hour="10.00")


def _book(camera, activity, day, start, end, user):
    return services.booking_create(
        resource=camera,
        activity=activity,
        start=at(day, start),
        end=at(day, end),
        acting_user=user,
        notify=False,
    )


def _lend(camera, member, due_at, staff, **kw):
    return services.loan_check_out(
        resource=camera, member=member, due_at=due_at, condition="Bon", acting_user=staff, **kw
    )


def test_an_item_out_on_loan_cannot_be_booked_over_the_loan(
    camera, funded, camille, jerome, sylvie
):
    day = open_day()
    loan = _lend(camera, jerome, at(day, 12), sylvie)
    with pytest.raises(SlotTaken, match="en prêt jusqu'au"):
        _book(camera, funded, day, 9, 10, camille.user)
    with pytest.raises(SlotTaken, match="en prêt"):  # a guest neither
        services.guest_booking_create(
            resource=camera, start=at(day, 10), end=at(day, 11), name="Léa", email="l@example.test"
        )
    assert not Booking.objects.exists()
    # Due back at noon: the afternoon can be booked.
    assert _book(camera, funded, day, 13, 14, camille.user).is_active
    services.loan_check_in(loan=loan, condition="Bon", acting_user=sylvie)
    assert _book(camera, funded, day, 9, 10, camille.user).is_active


def test_an_overdue_item_cannot_be_booked_until_it_is_back(camera, funded, camille, sylvie):
    day = open_day()
    lent_at = timezone.now() - dt.timedelta(days=3)
    loan = _lend(camera, camille, lent_at + dt.timedelta(days=1), sylvie, now=lent_at)
    with pytest.raises(SlotTaken, match="en retard"):
        _book(camera, funded, day, 13, 14, camille.user)
    services.loan_check_in(loan=loan, condition="Bon", acting_user=sylvie)
    assert _book(camera, funded, day, 13, 14, camille.user).is_active


def test_an_item_booked_by_someone_else_cannot_be_lent_over_their_booking(
    camera, camille, jerome, jerome_activity, sylvie
):
    fund(jerome_activity, "500.00")
    day = open_day()
    _book(camera, jerome_activity, day, 10, 12, jerome.user)
    with pytest.raises(BookingConflict, match="réservé par quelqu'un d'autre"):
        _lend(camera, camille, at(day, 11), sylvie)
    assert not Loan.objects.exists()
    # Back before Jérôme's booking starts: lent.
    loan = _lend(camera, camille, at(day, 9, 30), sylvie)
    assert loan.booking is None


def test_a_loan_against_the_members_own_booking_names_it(camera, funded, camille, sylvie):
    day = open_day()
    booking = _book(camera, funded, day, 10, 12, camille.user)
    loan = _lend(camera, camille, at(day, 12), sylvie)
    assert loan.booking == booking
