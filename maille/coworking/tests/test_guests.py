"""Guests: taxed where the space is, limited against abuse, shown what is free
and what it costs before they book."""

from __future__ import annotations

from decimal import Decimal

from maille.coworking import services
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
