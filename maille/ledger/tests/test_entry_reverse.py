"""Correcting an entry: a reversing entry that points to what it reverses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maille.ledger import accounts as acc
from maille.ledger.exceptions import PostingError
from maille.ledger.models import JournalEntry
from maille.ledger.selectors import balance
from maille.ledger.services import entry_reverse
from maille.ledger.tests.conftest import line, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(camille_activity, coop):
    return post(
        line(acc.SPACE_EXPENSE, camille_activity, "40.00"),
        line(acc.SPACE_INCOME, coop, "-40.00"),
        date=dt.date(2026, 4, 12),
        description="Booking 32",
        source=camille_activity,
    )


def test_a_reversal_mirrors_the_entry_and_points_to_it(booking, camille_activity, sylvie):
    reversal = entry_reverse(
        entry=booking, date=dt.date(2026, 4, 13), acting_user=sylvie, reason="Booked twice"
    )
    assert reversal.reverses == booking
    assert booking.reversed_by == reversal
    assert reversal.description == f"Reversal of {booking.display_number}: Booked twice"
    assert reversal.posted_by == sylvie
    assert reversal.source == camille_activity
    assert sorted(ln.amount for ln in reversal.lines.all()) == [Decimal("-40.00"), Decimal("40.00")]
    assert balance(account=acc.SPACE_EXPENSE) == Decimal("0.00")
    assert balance(account=acc.SPACE_EXPENSE, as_of=dt.date(2026, 4, 12)) == Decimal("40.00")


def test_the_original_entry_is_left_as_it_was(booking, sylvie):
    before = list(booking.lines.values_list("account__code", "amount"))
    entry_reverse(entry=booking, date=dt.date(2026, 4, 13), acting_user=sylvie, reason="Oops")
    booking.refresh_from_db()
    assert list(booking.lines.values_list("account__code", "amount")) == before


def test_reversing_twice_returns_the_first_reversal(booking, sylvie):
    first = entry_reverse(
        entry=booking, date=dt.date(2026, 4, 13), acting_user=sylvie, reason="Booked twice"
    )
    again = entry_reverse(
        entry=booking, date=dt.date(2026, 4, 20), acting_user=sylvie, reason="Booked twice"
    )
    assert again == first
    assert JournalEntry.objects.count() == 2


def test_a_reversal_can_itself_be_reversed(booking, sylvie):
    reversal = entry_reverse(
        entry=booking, date=dt.date(2026, 4, 13), acting_user=sylvie, reason="Wrong desk"
    )
    entry_reverse(
        entry=reversal,
        date=dt.date(2026, 4, 14),
        acting_user=sylvie,
        reason="It was the right desk after all",
    )
    assert balance(account=acc.SPACE_EXPENSE) == Decimal("40.00")


def test_a_reversal_needs_a_reason_and_a_date_not_before_the_entry(booking, sylvie):
    with pytest.raises(PostingError) as exc:
        entry_reverse(entry=booking, date=dt.date(2026, 4, 1), acting_user=sylvie, reason=" ")
    assert exc.value.problems == [
        "Give the reason for the reversal.",
        "A reversal cannot be dated before the entry it reverses (2026-04-12).",
    ]
    assert JournalEntry.objects.count() == 1
