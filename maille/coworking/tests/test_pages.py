"""The coworking pages: member, guest and staff journeys, and who may see what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client

from maille.conftest import login
from maille.coworking import services
from maille.coworking.models import Booking, BookingStatus
from maille.coworking.tests.helpers import at, open_day
from maille.invoicing.models import InvoiceStatus
from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.members.models import Directorship


def test_a_member_finds_books_and_cancels_from_the_pages(as_camille, room, funded):
    assert as_camille.get("/coworking/").status_code == 200
    week = as_camille.get(f"/coworking/sites/{room.site_id}/week/")
    assert week.status_code == 200 and "Salle Jarry" in week.content.decode()
    day = open_day()
    page = as_camille.get(f"/coworking/resources/{room.pk}/book/?date={day}")
    assert page.status_code == 200
    answer = as_camille.post(
        f"/coworking/resources/{room.pk}/book/",
        {
            "activity": funded.pk,
            "date": day,
            "start_time": "09:00",
            "end_time": "11:00",
            "weeks": 2,
        },
    )
    assert answer.status_code == 302
    assert Booking.objects.filter(activity=funded).count() == 2
    mine = as_camille.get("/coworking/mine/")
    assert mine.status_code == 200 and "/coworking/ical/" in mine.content.decode()
    first = Booking.objects.order_by("start").first()
    assert as_camille.post(f"/coworking/bookings/{first.pk}/cancel/").status_code == 302
    first.refresh_from_db()
    assert first.status == BookingStatus.CANCELLED


def test_a_refused_booking_says_why_on_the_page(as_camille, room, funded):
    day = open_day()
    answer = as_camille.post(
        f"/coworking/resources/{room.pk}/book/",
        {
            "activity": funded.pk,
            "date": day,
            "start_time": "06:00",
            "end_time": "07:00",
            "weeks": 1,
        },
    )
    assert answer.status_code == 200
    assert "ouvert de 08:00 à 18:00" in answer.content.decode()
    assert not Booking.objects.exists()


def test_the_daylight_saving_gap_is_refused_on_the_page(as_camille, room, funded):
    answer = as_camille.post(
        f"/coworking/resources/{room.pk}/book/",
        {
            "activity": funded.pk,
            "date": "2027-03-14",
            "start_time": "02:30",
            "end_time": "04:00",
            "weeks": 1,
        },
    )
    assert answer.status_code == 200
    assert "n&#x27;existe pas" in answer.content.decode()


def test_members_cannot_book_on_another_members_activity(as_jerome, room, funded):
    answer = as_jerome.post(
        f"/coworking/resources/{room.pk}/book/",
        {
            "activity": funded.pk,
            "date": open_day(),
            "start_time": "09:00",
            "end_time": "10:00",
            "weeks": 1,
        },
    )
    assert answer.status_code == 200  # the activity is not among the choices
    assert not Booking.objects.exists()


def test_a_guest_books_and_staff_invoice_with_gst_and_qst(room, sylvie):
    day = open_day()
    answer = Client().post(
        "/coworking/guest/",
        {
            "resource": room.pk,
            "date": day,
            "start_time": "13:00",
            "end_time": "15:00",
            "name": "Léa Roy",
            "email": "lea@example.test",
            "company": "",
            "province": "QC",
            "postal_code": "H2X 1Y4",
        },
    )
    assert answer.status_code == 200, answer.content.decode()
    booking = Booking.objects.get()
    assert booking.price == Decimal("80.00")  # guest: 2 h × 40 $
    staff = login(sylvie)
    day_page = staff.get("/coworking/staff/day/")
    assert "Léa Roy" in day_page.content.decode()
    assert staff.post(f"/coworking/staff/bookings/{booking.pk}/invoice/").status_code == 302
    booking.refresh_from_db()
    invoice = booking.invoice
    assert invoice.status == InvoiceStatus.ISSUED and invoice.activity.code == "COOP"
    assert (invoice.subtotal, invoice.total) == (Decimal("80.00"), Decimal("91.98"))
    taxes = dict(invoice.taxes.values_list("code", "amount"))
    assert taxes == {"GST": Decimal("4.00"), "QST": Decimal("7.98")}
    gst = JournalLine.objects.get(account__code=accounts.GST_PAYABLE, entry__source_id=invoice.pk)
    assert gst.amount == Decimal("-4.00")
    # The rental is the co-op's space income, not its generic revenue.
    revenue = dict(
        JournalLine.objects.filter(
            entry__source_id=invoice.pk, account__type="revenue"
        ).values_list("account__code", "amount")
    )
    assert revenue == {accounts.SPACE_INCOME: Decimal("-80.00")}
    # Again: nothing new.
    services.guest_booking_invoice(booking=booking, acting_user=sylvie)
    assert Booking.objects.get().invoice_id == invoice.pk


def _guest(room, start, end):
    return services.guest_booking_create(
        resource=room, start=start, end=end, name="Léa Roy", email="lea@example.test"
    )


def _credit_notes(invoice):
    return list(invoice.credit_notes.all())


def test_cancelling_an_invoiced_guest_booking_in_time_credits_it_whole(room, sylvie):
    booking = _guest(room, at(open_day(), 13), at(open_day(), 15))
    booking = services.guest_booking_invoice(booking=booking, acting_user=sylvie)
    services.booking_cancel(booking=booking, acting_user=sylvie)
    booking.refresh_from_db()
    assert booking.refund == Decimal("80.00")
    [note] = _credit_notes(booking.invoice)
    assert note.status == InvoiceStatus.ISSUED and note.number
    assert (note.subtotal, note.total) == (Decimal("80.00"), Decimal("91.98"))
    lines = dict(
        JournalLine.objects.filter(entry__source_id=note.pk, entry__source_type__model="invoice")
        .values_list("account__code")
        .annotate(total=Sum("amount"))
    )
    assert lines[accounts.SPACE_INCOME] == Decimal("80.00")  # the space income reversed
    assert lines[accounts.AR] == Decimal("-91.98")  # nothing owed any more
    booking.invoice.refresh_from_db()
    assert booking.invoice.total - sum(n.total for n in _credit_notes(booking.invoice)) == 0


def test_a_late_guest_cancellation_credits_per_the_rule(room, sylvie):
    day = open_day(after_days=2)
    start = at(day, 13)
    booking = _guest(room, start, at(day, 15))
    booking = services.guest_booking_invoice(booking=booking, acting_user=sylvie)
    # 10 hours before: past the 24 h notice, the rule keeps 50 %.
    services.booking_cancel(booking=booking, acting_user=sylvie, now=start - dt.timedelta(hours=10))
    booking.refresh_from_db()
    assert booking.refund == Decimal("40.00")
    [note] = _credit_notes(booking.invoice)
    assert note.subtotal == Decimal("40.00") and note.total == Decimal("45.99")


def test_a_late_cancelled_guest_booking_not_yet_invoiced_is_invoiced_for_what_is_kept(room, sylvie):
    from maille.coworking import selectors

    day = open_day(after_days=2)
    start = at(day, 13)
    booking = _guest(room, start, at(day, 15))
    services.booking_cancel(booking=booking, acting_user=sylvie, now=start - dt.timedelta(hours=2))
    assert list(selectors.guests_to_invoice()) == [booking]
    booking = services.guest_booking_invoice(booking=booking, acting_user=sylvie)
    assert booking.invoice.subtotal == Decimal("40.00")
    assert not _credit_notes(booking.invoice)
    # Cancelled in time and never invoiced: nothing to invoice.
    other = _guest(room, at(day, 9), at(day, 10))
    services.booking_cancel(booking=other, acting_user=sylvie, now=start - dt.timedelta(days=3))
    assert other not in selectors.guests_to_invoice()


def test_a_guest_cannot_take_a_booked_slot(room, funded, camille):
    day = open_day()
    services.booking_create(
        resource=room,
        activity=funded,
        start=at(day, 9),
        end=at(day, 10),
        acting_user=camille.user,
        notify=False,
    )
    answer = Client().post(
        "/coworking/guest/",
        {
            "resource": room.pk,
            "date": day,
            "start_time": "09:30",
            "end_time": "10:30",
            "name": "Léa Roy",
            "email": "lea@example.test",
            "province": "QC",
        },
    )
    assert "déjà réservé" in answer.content.decode()
    assert Booking.objects.count() == 1


def test_staff_pages(room, sylvie, camille):
    staff = login(sylvie)
    for url in (
        "/coworking/staff/day/",
        "/coworking/staff/resources/",
        "/coworking/staff/loans/",
        "/coworking/occupancy/",
        "/coworking/occupancy/?by=month",
    ):
        assert staff.get(url).status_code == 200, url
    answer = staff.post(
        "/coworking/staff/resources/",
        {
            "what": "price",
            "resource": room.pk,
            "valid_from": "2027-01-01",
            "member_hour": "25.00",
            "member_half_day": "80.00",
            "member_day": "120.00",
            "guest_hour": "50.00",
            "guest_half_day": "160.00",
            "guest_day": "240.00",
        },
    )
    assert answer.status_code == 302
    assert room.prices.count() == 2


@pytest.mark.parametrize(
    "url",
    [
        "/coworking/staff/day/",
        "/coworking/staff/resources/",
        "/coworking/staff/loans/",
        "/coworking/occupancy/",
    ],
)
def test_members_get_404_on_staff_pages(as_camille, url):
    assert as_camille.get(url).status_code == 404


def test_the_board_sees_occupancy(as_camille, camille, room):
    Directorship.objects.create(member=camille, started_on=dt.date(2020, 1, 1))
    assert as_camille.get("/coworking/occupancy/").status_code == 200


def test_client_contacts_get_404(as_nathalie, room):
    assert as_nathalie.get("/coworking/").status_code == 404
    assert as_nathalie.get(f"/coworking/resources/{room.pk}/book/").status_code == 404


def test_another_members_booking_cannot_be_cancelled(as_jerome, room, funded, camille):
    booking = services.booking_create(
        resource=room,
        activity=funded,
        start=at(open_day(), 9),
        end=at(open_day(), 10),
        acting_user=camille.user,
        notify=False,
    )
    assert as_jerome.post(f"/coworking/bookings/{booking.pk}/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.is_active


def test_the_week_view_shows_the_share_booked_in_few_queries(
    as_camille, room, desk, funded, camille, django_assert_max_num_queries
):
    day = open_day()
    services.booking_create(
        resource=room,
        activity=funded,
        start=at(day, 9),
        end=at(day, 11),
        acting_user=camille.user,
        notify=False,
    )
    from maille.coworking.selectors import week_of, week_view

    view = week_view(room.site, week_of(day))
    jarry = next(r for r in view.rows if r.resource == room)
    assert (day.isoformat(), 20) in jarry.days  # 2 h of 10 open hours
    assert all(
        pct in (0, -1) for _iso, pct in next(r for r in view.rows if r.resource == desk).days
    )
    with django_assert_max_num_queries(12):
        page = as_camille.get(f"/coworking/sites/{room.site_id}/week/?start={week_of(day)}")
    assert f'?date={day.isoformat()}">20 %' in page.content.decode()


def test_staff_add_and_change_sites_and_resources(sylvie, room):
    from maille.coworking.models import Resource, Site

    staff = login(sylvie)
    assert staff.get("/coworking/staff/sites/").status_code == 200
    answer = staff.post(
        "/coworking/staff/sites/",
        {
            "name": "Limoilou",
            "street": "300 3e Avenue",
            "city": "Québec",
            "province": "QC",
            "postal_code": "G1L 2W2",
            "opens_at": "07:30",
            "closes_at": "21:00",
            "open_days": ["0", "1", "2", "3", "4", "5"],
            "closed_on_holidays": "on",
            "is_active": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    site = Site.objects.get(name="Limoilou")
    assert (site.open_days, site.opens_at) == ("012345", dt.time(7, 30))
    # Closing before opening is refused on the field, nothing saved.
    change = {
        "name": "Limoilou",
        "street": "300 3e Avenue",
        "city": "Québec",
        "province": "QC",
        "opens_at": "09:00",
        "closes_at": "08:00",
        "open_days": ["5", "6"],
        "is_active": "on",
    }
    refused = staff.post(f"/coworking/staff/sites/{site.pk}/", change)
    assert refused.status_code == 200 and "ferme après" in refused.content.decode()
    assert (
        staff.post(
            f"/coworking/staff/sites/{site.pk}/", change | {"closes_at": "17:00"}
        ).status_code
        == 302
    )
    site.refresh_from_db()
    assert (site.open_days, site.closed_on_holidays) == ("56", False)

    item = {
        "site": site.pk,
        "kind": "equipment",
        "name": "Caméra Sony FX3",
        "serial_number": "",
        "condition": "Neuve",
        "is_active": "on",
    }
    refused = staff.post("/coworking/staff/resources/new/", item)
    assert refused.status_code == 200 and "numéro de série" in refused.content.decode()
    assert (
        staff.post(
            "/coworking/staff/resources/new/", item | {"serial_number": "FX3-001"}
        ).status_code
        == 302
    )
    camera = Resource.objects.get(name="Caméra Sony FX3")
    assert (camera.serial_number, camera.condition) == ("FX3-001", "Neuve")
    assert staff.get(f"/coworking/staff/resources/{room.pk}/").status_code == 200
    answer = staff.post(
        f"/coworking/staff/resources/{room.pk}/",
        {
            "site": room.site_id,
            "kind": "room",
            "name": "Salle Jarry",
            "capacity": 12,
            "equipment": "Projecteur, tableau blanc",
            "is_active": "on",
        },
    )
    assert answer.status_code == 302
    room.refresh_from_db()
    assert (room.capacity, room.equipment) == (12, "Projecteur, tableau blanc")
    assert room.history.first().history_user == sylvie


@pytest.mark.parametrize(
    "url",
    [
        "/coworking/staff/sites/",
        "/coworking/staff/sites/{site}/",
        "/coworking/staff/resources/new/",
        "/coworking/staff/resources/{room}/",
    ],
)
def test_members_get_404_on_the_staff_editing_pages(as_camille, room, url):
    path = url.format(site=room.site_id, room=room.pk)
    assert as_camille.get(path).status_code == 404
    answer = as_camille.post(path, {"name": "Piratée", "site": room.site_id, "kind": "room"})
    assert answer.status_code == 404
    room.refresh_from_db()
    assert room.name == "Salle Jarry"


def test_anonymous_visitors_are_sent_to_log_in_from_the_staff_pages(room):
    answer = Client().get("/coworking/staff/sites/")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_the_day_view_shows_free_times_that_open_the_booking_form(as_camille, room, funded):
    day = open_day()
    services.booking_create(
        resource=room,
        activity=funded,
        start=at(day, 8),
        end=at(day, 10),
        acting_user=funded.owners.get().user,
        notify=False,
    )
    page = as_camille.get(f"/coworking/sites/{room.site_id}/day/?date={day}")
    html = page.content.decode()
    assert page.status_code == 200
    book = f"/coworking/resources/{room.pk}/book/"
    link = f"{book}?date={day}&amp;start_time=10:00&amp;end_time=11:00"
    assert link in html
    form = as_camille.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="10:00"' in form and 'value="11:00"' in form
