"""Guests: taxed where the space is, limited against abuse, shown what is free
and what it costs before they book."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from maille.coworking import services
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
