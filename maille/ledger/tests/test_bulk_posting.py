"""Bulk posting: the running balances it adds equal the lines it writes, and
keys already posted are returned as they are, whatever mix a call brings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maille.ledger import accounts as acc
from maille.ledger.models import JournalEntry, JournalLine
from maille.ledger.selectors import balance, ledger_problems
from maille.ledger.services import EntrySpec, entries_post_many
from maille.ledger.tests.conftest import line

pytestmark = pytest.mark.django_db


def _invoice(activity, i: int, day: dt.date, amount: str) -> EntrySpec:
    return EntrySpec(
        day,
        f"Invoice {i}",
        [line(acc.AR, activity, amount), line(acc.REVENUE, activity, f"-{amount}")],
        f"bulk:{i}",
    )


def test_bulk_balances_equal_the_lines_and_replays_add_nothing(camille_activity, coop):
    # Several entries on one (account, activity, month), others across months
    # and activities: the running balances are summed per month.
    first = [
        _invoice(camille_activity, 1, dt.date(2026, 3, 2), "100.00"),
        _invoice(camille_activity, 2, dt.date(2026, 3, 30), "250.50"),
        _invoice(coop, 3, dt.date(2026, 3, 15), "10.00"),
        _invoice(camille_activity, 4, dt.date(2026, 4, 1), "0.01"),
    ]
    posted = entries_post_many(entries=first, acting_user=None)
    assert [e.idempotency_key for e in posted] == [s.idempotency_key for s in first]
    assert ledger_problems() == []
    assert balance(account=acc.AR, activity=camille_activity) == Decimal("350.51")
    assert balance(
        account=acc.AR, activity=camille_activity, as_of=dt.date(2026, 3, 31)
    ) == Decimal("350.50")

    # A second call repeating two keys and bringing one new entry: the two
    # come back as they were, only the new one is written.
    again = [first[1], _invoice(coop, 5, dt.date(2026, 4, 2), "7.00"), first[0]]
    result = entries_post_many(entries=again, acting_user=None)
    assert [e.pk for e in (result[0], result[2])] == [posted[1].pk, posted[0].pk]
    assert result[1].idempotency_key == "bulk:5"
    assert JournalEntry.objects.count() == 5
    assert JournalLine.objects.count() == 10
    assert ledger_problems() == []
    assert balance(account=acc.AR, activity=coop) == Decimal("17.00")
