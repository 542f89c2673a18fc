"""Passes: which one a booking draws on, one desk at a time for a desk month,
and only the offer in force may be bought."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from maille.coworking import selectors, services
from maille.coworking.models import Pass, PassKind, PassPrice, ResourceKind
from maille.coworking.tests import helpers
from maille.coworking.tests.helpers import at, open_day, resource


def _offer(place, kind, price, *, hours=None, valid_from=dt.date(2020, 1, 1)):
    return PassPrice.objects.create(
        site=place,
        kind=kind,
        hours=Decimal(hours) if hours else None,
        price=Decimal(price),
        valid_from=valid_from,
    )


def _buy(member, activity, offer, valid_from):
    return services.pass_buy(
        member=member,
        activity=activity,
        offer=offer,
        valid_from=valid_from,
        acting_user=member.user,
    )


def _book(item, activity, day, start, end, user):
    return services.booking_create(
        resource=item,
        activity=activity,
        start=at(day, start),
        end=at(day, end),
        acting_user=user,
        notify=False,
    )


def test_a_desk_month_is_drawn_before_a_pack_of_hours(place, desk, funded, camille):
    day = open_day()
    pack = _buy(
        camille, funded, _offer(place, PassKind.HOURS, "45.00", hours="10"), timezone.localdate()
    )
    month = _buy(camille, funded, _offer(place, PassKind.MONTHLY_DESK, "150.00"), day)
    booking = _book(desk, funded, day, 9, 12, camille.user)
    assert (booking.used_pass_id, booking.price) == (month.pk, Decimal("0.00"))
    assert services.pass_hours_left(pack) == Decimal("10.00")  # kept for the rooms


def test_a_desk_month_covers_one_desk_at_a_time(place, desk, funded, camille):
    second_desk = resource(place, ResourceKind.DESK, "Bureau 2", hour="5.00")
    day = open_day()
    month = _buy(camille, funded, _offer(place, PassKind.MONTHLY_DESK, "150.00"), day)
    first = _book(desk, funded, day, 9, 12, camille.user)
    assert first.used_pass_id == month.pk
    # A second desk over the same time is charged as any booking.
    second = _book(second_desk, funded, day, 11, 13, camille.user)
    assert (second.used_pass_id, second.price) == (None, Decimal("10.00"))
    # Once the first desk's time is over, the month covers a desk again.
    later = _book(second_desk, funded, day, 14, 16, camille.user)
    assert (later.used_pass_id, later.price) == (month.pk, Decimal("0.00"))
    # Cancelled, the first desk's time is free for the month again.
    services.booking_cancel(booking=first, acting_user=camille.user)
    again = _book(desk, funded, day, 9, 10, camille.user)
    assert again.used_pass_id == month.pk


def test_only_the_offer_in_force_is_offered_and_sold(place, funded, camille, as_camille):
    today = timezone.localdate()
    replaced = _offer(place, PassKind.HOURS, "100.00", hours="10")
    current = _offer(place, PassKind.HOURS, "120.00", hours="10", valid_from=dt.date(2025, 1, 1))
    _offer(place, PassKind.HOURS, "150.00", hours="10", valid_from=today + dt.timedelta(days=30))
    month = _offer(place, PassKind.MONTHLY_DESK, "150.00")  # another kind: in force too
    assert set(selectors.pass_offers(today)) == {current, month}
    page = as_camille.get("/coworking/mine/")
    assert set(page.context["pass_form"].fields["offer"].queryset) == {current, month}
    # Posted anyway, a replaced offer is refused; so is it through the service.
    answer = as_camille.post(
        "/coworking/passes/buy/",
        {"offer": replaced.pk, "activity": funded.pk, "valid_from": today},
    )
    assert answer.status_code == 302 and not Pass.objects.exists()
    with pytest.raises(ValidationError) as refused:
        _buy(camille, funded, replaced, today)
    assert "offer" in refused.value.message_dict
    assert not Pass.objects.exists()
    assert _buy(camille, funded, current, today).price == Decimal("120.00")


def test_occupancy_revenue_counts_the_passes_sold_on_each_site(place, desk, room, funded, camille):
    """Mile End sells Camille a desk month (250 $) starting that week; she books the
    desk with it (nothing more to pay) and the room for 2 h (40 $). A pack of hours
    bought at Rosemont (90 $) counts at Rosemont; a pack starting the week after
    (75 $) counts in that week, not this one."""
    elsewhere = helpers.site(name="Rosemont")
    day = open_day()
    monday = selectors.week_of(day)
    _buy(camille, funded, _offer(place, PassKind.MONTHLY_DESK, "250.00"), monday)
    _buy(camille, funded, _offer(elsewhere, PassKind.HOURS, "90.00", hours="5"), day)
    later = _offer(place, PassKind.HOURS, "75.00", hours="5")
    _buy(camille, funded, later, monday + dt.timedelta(days=7))
    assert _book(desk, funded, day, 9, 12, camille.user).price == Decimal("0.00")
    assert _book(room, funded, day, 13, 15, camille.user).price == Decimal("40.00")
    week = [(monday, monday + dt.timedelta(days=6))]
    found = {r.site.name: r for r in selectors.occupancy(periods=week).revenue}
    mile_end = found["Mile End"]
    assert (mile_end.members, mile_end.guests, mile_end.passes, mile_end.total) == (
        Decimal("40.00"),
        Decimal("0"),
        Decimal("250.00"),
        Decimal("290.00"),
    )
    assert found["Rosemont"].passes == Decimal("90.00")
    assert found["Rosemont"].total == Decimal("90.00")
    next_week = [(monday + dt.timedelta(days=7), monday + dt.timedelta(days=13))]
    after = {r.site.name: r for r in selectors.occupancy(periods=next_week).revenue}
    assert after["Mile End"].passes == Decimal("75.00")


def test_the_occupancy_page_shows_pass_revenue(place, funded, camille, as_sylvie):
    _buy(camille, funded, _offer(place, PassKind.HOURS, "150.00", hours="10"), timezone.localdate())
    page = as_sylvie.get("/coworking/occupancy/?by=week")
    [revenue] = page.context["data"].revenue
    assert (revenue.passes, revenue.total) == (Decimal("150.00"), Decimal("150.00"))
    html = page.content.decode().replace("\xa0", " ").replace("\u202f", " ")
    assert html.count("150,00 $") == 2  # the passes and the total
