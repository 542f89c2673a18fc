"""Booking rules, prices, the budget guard, postings and cancellation refunds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from maille.budgets.selectors import activity_available_budget
from maille.coworking import services, terms
from maille.coworking.exceptions import BookingConflict, CoworkingError, SlotTaken
from maille.coworking.models import Booking, BookingStatus, PassKind, PassPrice
from maille.coworking.tests.helpers import at, open_day, resource
from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.members.models import Activity
from maille.payroll.tests.helpers import fund
from maille.tests_support import factories


def book(room, activity, day, start, end, user, **kw):
    return services.booking_create(
        resource=room,
        activity=activity,
        start=at(day, *start),
        end=at(day, *end),
        acting_user=user,
        **kw,
    )


def lines_of(booking):
    return {
        (line.account.code, line.activity.code): line.amount
        for line in JournalLine.objects.filter(entry__source_id=booking.pk).select_related(
            "account", "activity"
        )
        if line.entry.source_type.model == "booking"
    }


def test_a_member_booking_is_an_internal_posting_within_the_budget(room, funded, camille):
    day = open_day()
    before = activity_available_budget(funded)
    booking = book(room, funded, day, (9,), (11,), camille.user)
    assert booking.price == Decimal("40.00")  # 2 h × 20 $, cheaper than a half day (60 $)
    assert lines_of(booking) == {
        (accounts.SPACE_EXPENSE, funded.code): Decimal("40.00"),
        (accounts.SPACE_INCOME, "COOP"): Decimal("-40.00"),
    }  # no sales tax line: internal to the co-op
    assert activity_available_budget(funded) == before - Decimal("40.00")


def test_prices_take_the_cheapest_of_hours_half_days_and_the_day(room):
    price = room.prices.get()
    assert terms.price_of(price, Decimal("2"), guest=False) == Decimal("40.00")
    assert terms.price_of(price, Decimal("4"), guest=False) == Decimal("60.00")  # half day
    assert terms.price_of(price, Decimal("8"), guest=False) == Decimal("100.00")  # day
    assert terms.price_of(price, Decimal("1.5"), guest=True) == Decimal("60.00")


def test_the_price_in_force_on_the_day_applies(room, funded, camille):
    day = open_day()
    newer = room.prices.get()
    newer.pk = None
    newer.valid_from = day
    newer.member_hour = Decimal("30.00")
    newer.save()
    assert book(room, funded, day, (9,), (10,), camille.user).price == Decimal("30.00")
    earlier = day - dt.timedelta(days=1)
    if earlier.weekday() < 5 and terms.is_open_day(room.site, earlier):
        assert book(room, funded, earlier, (9,), (10,), camille.user).price == Decimal("20.00")


def test_touching_bookings_are_allowed(room, funded, camille):
    day = open_day()
    book(room, funded, day, (9,), (10,), camille.user)
    book(room, funded, day, (10,), (11,), camille.user)
    book(room, funded, day, (8,), (9,), camille.user)
    assert Booking.objects.count() == 3


def test_an_overlap_is_refused_with_nothing_booked(room, funded, camille):
    day = open_day()
    book(room, funded, day, (9,), (11,), camille.user)
    with pytest.raises(SlotTaken, match="déjà réservé"):
        book(room, funded, day, (10, 30), (12,), camille.user)
    assert Booking.objects.count() == 1


def test_buffers_are_respected_on_both_sides(place, funded, camille):
    camera = resource(place, "equipment", "Caméra", buffer=30)
    day = open_day()
    book(camera, funded, day, (10,), (11,), camille.user)
    with pytest.raises(SlotTaken):  # starts inside the 30 minutes after
        book(camera, funded, day, (11, 15), (12,), camille.user)
    with pytest.raises(SlotTaken):  # its own buffer runs into the next booking
        book(camera, funded, day, (9,), (9, 45), camille.user)
    book(camera, funded, day, (11, 30), (12,), camille.user)
    book(camera, funded, day, (8,), (9, 30), camille.user)
    assert Booking.objects.count() == 3


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (lambda d: (at(d, 7), at(d, 9)), "ouvert de 08:00 à 18:00"),
        (lambda d: (at(d, 17), at(d, 19)), "ouvert de 08:00 à 18:00"),
        (lambda d: (at(d, 8), at(d, 19)), "au plus 600 minutes"),
        (lambda d: (at(d, 9), at(d, 9, 10)), "au moins 30 minutes"),
        (lambda d: (at(d, 11), at(d, 10)), "fin doit suivre le début"),
        (
            lambda d: (at(d + dt.timedelta(days=120), 9), at(d + dt.timedelta(days=120), 10)),
            "90 jours à l'avance",
        ),
        (
            lambda d: (at(d - dt.timedelta(days=14), 9), at(d - dt.timedelta(days=14), 10)),
            "est passée",
        ),
        (
            lambda d: (at(d + dt.timedelta(days=4), 9), at(d + dt.timedelta(days=4), 10)),
            "fermé ce jour",
        ),
    ],
)
def test_rules_refuse_with_a_clear_message(room, funded, camille, when, message):
    start, end = when(open_day())
    with pytest.raises(CoworkingError, match=message):
        services.booking_create(
            resource=room, activity=funded, start=start, end=end, acting_user=camille.user
        )
    assert not Booking.objects.exists()
    assert not JournalLine.objects.filter(account__code=accounts.SPACE_EXPENSE).exists()


def test_a_quebec_statutory_holiday_is_closed(room, funded, camille):
    christmas = dt.date(2026, 12, 25)  # a Friday
    with pytest.raises(CoworkingError, match="jour férié"):
        book(room, funded, christmas, (9,), (10,), camille.user, now=at(dt.date(2026, 12, 1), 9))


def test_another_members_activity_is_refused(room, funded, jerome):
    with pytest.raises(PermissionError):
        book(room, funded, open_day(), (9,), (10,), jerome.user)
    assert not Booking.objects.exists()


def test_beyond_the_budget_is_refused(room, camille_activity, camille):
    fund(camille_activity, "30.00")
    with pytest.raises(CoworkingError, match="30,00"):
        book(room, camille_activity, open_day(), (9,), (11,), camille.user)
    assert not Booking.objects.exists()
    assert activity_available_budget(camille_activity) == Decimal("30.00")


def test_a_closed_activity_is_refused(room, funded, camille):
    Activity.objects.filter(pk=funded.pk).update(status="closed")
    funded.refresh_from_db()
    with pytest.raises(ValidationError):
        book(room, funded, open_day(), (9,), (10,), camille.user)


def test_a_weekly_series_is_all_or_none(room, funded, camille, jerome, jerome_activity):
    fund(jerome_activity, "500.00")
    first = open_day()
    taken = first + dt.timedelta(weeks=3)
    book(room, jerome_activity, taken, (10,), (11,), jerome.user)
    slots = services.weekly_slots(day=first, start_time=dt.time(9), end_time=dt.time(12), weeks=8)
    with pytest.raises(SlotTaken) as refused:
        services.booking_series_create(
            resource=room, activity=funded, slots=slots, acting_user=camille.user
        )
    assert taken.isoformat() in str(refused.value)
    assert Booking.objects.filter(activity=funded).count() == 0
    slots = services.weekly_slots(day=first, start_time=dt.time(9), end_time=dt.time(10), weeks=8)
    made = services.booking_series_create(
        resource=room, activity=funded, slots=slots, acting_user=camille.user
    )
    assert len(made) == 8 and len({b.series_id for b in made}) == 1
    assert all(terms.local(b.start).time() == dt.time(9) for b in made)


def test_cancelling_within_the_notice_refunds_the_activity(room, funded, camille):
    day = open_day()
    booking = book(room, funded, day, (9,), (11,), camille.user)
    before = activity_available_budget(funded)
    services.booking_cancel(booking=booking, acting_user=camille.user)
    booking.refresh_from_db()
    assert (booking.status, booking.refund) == (BookingStatus.CANCELLED, Decimal("40.00"))
    assert activity_available_budget(funded) == before + Decimal("40.00")
    net = {
        code: sum(
            JournalLine.objects.filter(account__code=code).values_list("amount", flat=True),
            Decimal(0),
        )
        for code in (accounts.SPACE_EXPENSE, accounts.SPACE_INCOME)
    }
    assert net == {accounts.SPACE_EXPENSE: 0, accounts.SPACE_INCOME: 0}
    # The slot is free again.
    book(room, funded, day, (9,), (11,), camille.user)
    with pytest.raises(BookingConflict):
        services.booking_cancel(booking=booking, acting_user=camille.user)


def test_a_late_cancellation_keeps_the_rules_charge(room, funded, camille):
    day = open_day()
    booking = book(room, funded, day, (9,), (11,), camille.user)
    late = booking.start - dt.timedelta(hours=3)  # notice is 24 h, 50 % kept
    services.booking_cancel(booking=booking, acting_user=camille.user, now=late)
    booking.refresh_from_db()
    assert booking.refund == Decimal("20.00")
    spent = JournalLine.objects.filter(
        account__code=accounts.SPACE_EXPENSE, activity=funded
    ).values_list("amount", flat=True)
    assert sum(spent, Decimal(0)) == Decimal("20.00")


def test_others_cannot_cancel(room, funded, camille, jerome):
    booking = book(room, funded, open_day(), (9,), (10,), camille.user)
    with pytest.raises(PermissionError):
        services.booking_cancel(booking=booking, acting_user=jerome.user)


def test_a_pack_of_hours_is_drawn_down(room, funded, camille, place):
    offer = PassPrice.objects.create(
        site=place,
        kind=PassKind.HOURS,
        hours=Decimal("3"),
        price=Decimal("45.00"),
        valid_from=dt.date(2020, 1, 1),
    )
    bought = services.pass_buy(
        member=camille,
        activity=funded,
        offer=offer,
        valid_from=timezone.localdate(),
        acting_user=camille.user,
    )
    day = open_day()
    covered = book(room, funded, day, (9,), (11,), camille.user)
    assert (covered.price, covered.used_pass_id) == (Decimal("0.00"), bought.pk)
    assert services.pass_hours_left(bought) == Decimal("1.00")
    charged = book(room, funded, day, (13,), (15,), camille.user)  # 2 h > 1 h left
    assert (charged.price, charged.used_pass_id) == (Decimal("40.00"), None)
    services.booking_cancel(booking=covered, acting_user=camille.user)
    assert services.pass_hours_left(bought) == Decimal("3.00")


def test_a_monthly_desk_pass_covers_desks(desk, funded, camille, place):
    offer = PassPrice.objects.create(
        site=place,
        kind=PassKind.MONTHLY_DESK,
        price=Decimal("150.00"),
        valid_from=dt.date(2020, 1, 1),
    )
    day = open_day()
    services.pass_buy(
        member=camille, activity=funded, offer=offer, valid_from=day, acting_user=camille.user
    )
    booking = book(desk, funded, day, (8,), (18,), camille.user)
    assert booking.price == Decimal("0.00")


def test_a_confirmation_email_carries_an_ics(
    room, funded, camille, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(room, funded, open_day(), (9,), (10,), camille.user)
    assert len(mail.outbox) == 1
    name, content, kind = mail.outbox[0].attachments[0]
    assert name.endswith(".ics") and kind == "text/calendar"
    events = Calendar.from_ical(content).walk("VEVENT")
    assert len(events) == 1 and "Salle Jarry" in str(events[0]["summary"])


def test_the_daylight_saving_gap_is_refused():
    with pytest.raises(CoworkingError, match="n'existe pas"):
        terms.local_instant(dt.date(2027, 3, 14), dt.time(2, 30))
    # The hour around it exists, and durations are real elapsed time.
    before, after = (
        terms.local_instant(dt.date(2027, 3, 14), dt.time(1)),
        terms.local_instant(dt.date(2027, 3, 14), dt.time(4)),
    )
    assert terms.hours_between(before, after) == Decimal("2.00")
    # Autumn: 1:00–2:00 happens twice; 0:00–3:00 lasts four hours.
    night = dt.date(2027, 11, 7)
    assert terms.hours_between(
        terms.local_instant(night, dt.time(0)), terms.local_instant(night, dt.time(3))
    ) == Decimal("4.00")


def test_a_weekly_series_keeps_local_hours_across_daylight_saving(place, funded, camille):
    studio = resource(place, name="Studio", hour="10.00", max_days_ahead=400)
    place.open_days = "0123456"
    place.save()
    slots = services.weekly_slots(
        day=dt.date(2027, 3, 2), start_time=dt.time(9), end_time=dt.time(12), weeks=3
    )
    assert [terms.local(s.start).utcoffset() for s in slots] == [
        dt.timedelta(hours=-5),
        dt.timedelta(hours=-5),
        dt.timedelta(hours=-4),
    ]
    with pytest.raises(CoworkingError, match="n'existe pas"):
        services.weekly_slots(
            day=dt.date(2027, 3, 7), start_time=dt.time(2, 15), end_time=dt.time(4), weeks=2
        )
    made = services.booking_series_create(
        resource=studio,
        activity=funded,
        slots=slots,
        acting_user=camille.user,
        now=at(dt.date(2027, 2, 1), 9),
    )
    assert [b.price for b in made] == [Decimal("30.00")] * 3


def test_another_member_books_a_free_slot_of_another_resource(room, desk, funded, camille):
    day = open_day()
    book(room, funded, day, (9,), (10,), camille.user)
    book(desk, funded, day, (9,), (10,), camille.user)
    assert Booking.objects.count() == 2


def test_staff_may_book_for_any_member_activity(room, funded, sylvie):
    booking = book(room, funded, open_day(), (9,), (10,), sylvie)
    assert booking.member.activities.filter(pk=funded.pk).exists()


def test_a_member_without_the_activity_gets_nothing(room, funded):
    outsider = factories.MemberFactory()
    with pytest.raises(PermissionError):
        book(room, funded, open_day(), (9,), (10,), outsider.user)


def test_occupancy_per_resource_and_revenue_per_site(room, desk, funded, camille, sylvie):
    from maille.coworking import selectors

    day = open_day()
    monday = selectors.week_of(day)
    book(room, funded, day, (9,), (11,), camille.user, notify=False)  # 40 $
    guest = services.guest_booking_create(
        resource=room, start=at(day, 13), end=at(day, 15), name="Léa", email="lea@example.test"
    )  # 80 $, cancelled late: the rule keeps 40 $
    services.booking_cancel(booking=guest, acting_user=sylvie, now=at(day, 9))
    found = selectors.occupancy(periods=[(monday, monday + dt.timedelta(days=6))])
    open_hours = sum(
        10 for i in range(7) if terms.is_open_day(room.site, monday + dt.timedelta(days=i))
    )
    by_resource = {row.resource.name: row.percents for row in found.rows}
    assert by_resource == {"Salle Jarry": [round(100 * 2 / open_hours)], "Bureau 1": [0]}
    [revenue] = found.revenue
    assert (revenue.site, revenue.members, revenue.guests, revenue.passes) == (
        room.site,
        Decimal("40.00"),
        Decimal("40.00"),
        Decimal("0"),
    )
