"""Guests: taxed where the space is, limited against abuse, shown what is free
and what it costs before they book."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from maille.coworking import selectors, services
from maille.coworking.exceptions import CoworkingError
from maille.coworking.models import Booking
from maille.coworking.tests.helpers import at, open_day


def test_an_ontario_guest_renting_a_quebec_room_pays_gst_and_qst(room, sylvie):
    day = open_day()
    booking = services.guest_booking_create(
        resource=room,
        start=at(day, 13),
        end=at(day, 15),
        name="Olivia Smith",
        email="olivia@example.test",
        province="ON",
        postal_code="M5H 1K4",
    )
    services.guest_booking_invoice(booking=booking, acting_user=sylvie)
    booking.refresh_from_db()
    invoice = booking.invoice
    # Renting space is supplied where the space is (Québec), not at the guest's
    # address: GST and QST, not Ontario's 13 % HST.
    assert dict(invoice.taxes.values_list("code", "amount")) == {
        "GST": Decimal("4.00"),
        "QST": Decimal("7.98"),
    }
    assert (invoice.place_of_supply, invoice.total) == ("QC", Decimal("91.98"))
    assert invoice.client.province == "ON"  # the guest's address stays theirs
    # Cancelled in time: the credit note reverses the same taxes.
    services.booking_cancel(booking=booking, acting_user=sylvie)
    note = invoice.credit_notes.get()
    assert dict(note.taxes.values_list("code", "amount")) == {
        "GST": Decimal("4.00"),
        "QST": Decimal("7.98"),
    }


def _guest_form(room, day, start, end, email="lea@example.test"):
    return {
        "resource": room.pk,
        "date": day,
        "start_time": start,
        "end_time": end,
        "name": "Léa Roy",
        "email": email,
        "company": "",
        "province": "QC",
        "postal_code": "H2X 1Y4",
    }


def test_a_guest_holds_at_most_a_few_bookings_to_come(room, sylvie, settings):
    settings.MAILLE_COWORKING_GUEST_MAX_BOOKINGS = 2
    day = open_day()

    def book(hour, email="lea@example.test"):
        return services.guest_booking_create(
            resource=room, start=at(day, hour), end=at(day, hour + 1), name="Léa", email=email
        )

    first = book(9)
    book(11)
    with pytest.raises(CoworkingError, match="déjà 2 réservations à venir"):
        book(13, email="LEA@example.test")  # the same address, whatever the case
    assert Booking.objects.count() == 2
    book(13, email="olivia@example.test")  # another guest is not held back
    # A cancelled booking frees a place; so does one that is over.
    services.booking_cancel(booking=first, acting_user=sylvie)
    book(15)
    with pytest.raises(CoworkingError):
        book(16)
    assert services.guest_booking_create(
        resource=room,
        start=at(day + dt.timedelta(days=7), 9),
        end=at(day + dt.timedelta(days=7), 10),
        name="Léa",
        email="lea@example.test",
        now=at(day, 17),  # a week later, the day's two bookings are over
    )


def test_the_guest_page_limits_attempts_per_address(room, settings):
    settings.MAILLE_COWORKING_GUEST_POSTS_PER_HOUR = 2
    day = open_day()
    page = Client(REMOTE_ADDR="203.0.113.7")
    first = page.post("/coworking/guest/", _guest_form(room, day, "09:00", "10:00"))
    assert first.status_code == 200 and Booking.objects.count() == 1
    page.post("/coworking/guest/", _guest_form(room, day, "07:00", "08:00"))  # refused: closed
    third = page.post(
        "/coworking/guest/", _guest_form(room, day, "11:00", "12:00", email="o@example.test")
    )
    assert third.status_code == 429
    assert "Trop de tentatives de réservation" in third.content.decode()
    assert Booking.objects.count() == 1
    # Another address is not held back.
    other = Client(REMOTE_ADDR="198.51.100.4")
    answer = other.post(
        "/coworking/guest/", _guest_form(room, day, "11:00", "12:00", email="o@example.test")
    )
    assert answer.status_code == 200 and Booking.objects.count() == 2


def test_the_guest_page_shows_busy_and_free_times_without_names(room, funded, camille):
    day = open_day()
    services.booking_create(
        resource=room,
        activity=funded,
        start=at(day, 10),
        end=at(day, 11),
        acting_user=camille.user,
        notify=False,
    )
    page = Client().get(f"/coworking/guest/?resource={room.pk}&date={day}")
    html = page.content.decode()
    assert page.status_code == 200
    look = page.context["availability"]
    assert [(b.start, b.end) for b in look.busy] == [(at(day, 10), at(day, 11))]
    assert [(f.start, f.end) for f in look.free] == [
        (at(day, 8), at(day, 10)),
        (at(day, 11), at(day, 18)),
    ]
    assert "Occupé" in html and "<li>10:00–11:00</li>" in html and "<li>11:00–18:00</li>" in html
    # Who booked is never shown to the public.
    assert "Camille" not in html and "Tremblay" not in html and funded.code not in html
    assert page.context["quote"] is None  # no times chosen: no price yet


def test_the_guest_page_shows_the_price_with_gst_and_qst_for_the_chosen_length(room):
    day = open_day()
    page = Client().get(
        f"/coworking/guest/?resource={room.pk}&date={day}&start_time=13:00&end_time=15:00"
    )
    quote = page.context["quote"]
    # 2 h at the guest's 40 $ an hour, taxed where the room is (Québec) as its
    # invoice will be: GST 5 % and QST 9.975 % of 80 $.
    assert (quote.hours, quote.price) == (Decimal("2.00"), Decimal("80.00"))
    assert [(t.code, t.amount) for t in quote.taxes.taxes] == [
        ("GST", Decimal("4.00")),
        ("QST", Decimal("7.98")),
    ]
    assert quote.taxes.total == Decimal("91.98")
    html = page.content.decode().replace("\xa0", " ").replace("\u202f", " ")
    assert "80,00 $" in html and "4,00 $" in html and "7,98 $" in html and "91,98 $" in html
    assert "Prix avant taxes" in html and "Prix pour 2,00 h" in html
    # The booking form comes filled in with the chosen resource and times.
    assert page.context["form"]["start_time"].value() == "13:00"
    # In English, the same figures in English.
    english = Client().get(
        f"/coworking/guest/?resource={room.pk}&date={day}&start_time=13:00&end_time=15:00",
        headers={"accept-language": "en"},
        HTTP_COOKIE="django_language=en",
    )
    text = english.content.decode()
    assert "$91.98" in text and "Price before taxes" in text


def test_the_guest_price_is_what_the_invoice_carries(room, sylvie):
    day = open_day()
    quote = selectors.guest_quote(room, at(day, 13), at(day, 15))
    booking = services.guest_booking_create(
        resource=room,
        start=at(day, 13),
        end=at(day, 15),
        name="Olivia Smith",
        email="olivia@example.test",
        province="ON",
    )
    invoice = services.guest_booking_invoice(booking=booking, acting_user=sylvie).invoice
    assert invoice.total == quote.taxes.total
    assert dict(invoice.taxes.values_list("code", "amount")) == {
        t.code: t.amount for t in quote.taxes.taxes
    }
