"""Balances, statements and the trial balance: right as of any date, and read
with a number of queries that does not grow with the journal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maille.ledger import accounts as acc
from maille.ledger.models import Account
from maille.ledger.selectors import (
    activity_statement,
    balance,
    general_ledger,
    trial_balance,
)
from maille.ledger.services import EntrySpec, entries_post_many
from maille.ledger.tests.conftest import line
from maille.members.models import Activity

pytestmark = pytest.mark.django_db


def _year_of_invoices(activity: Activity, coop: Activity, n: int) -> None:
    """``n`` invoices of 100 $ spread over 2026, each paid 10 days later."""
    specs = []
    for i in range(n):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=(i * 7) % 340)
        specs += [
            EntrySpec(
                day,
                f"Invoice {i}",
                [line(acc.AR, activity, "100.00"), line(acc.REVENUE, activity, "-100.00")],
                f"inv:{i}",
            ),
            EntrySpec(
                day + dt.timedelta(days=10),
                f"Payment {i}",
                [line(acc.BANK, coop, "100.00"), line(acc.AR, activity, "-100.00")],
                f"pay:{i}",
            ),
        ]
    entries_post_many(entries=specs, acting_user=None)


@pytest.mark.parametrize("n", [3, 60])
def test_balances_cost_the_same_queries_whatever_the_size(
    n, camille_activity, coop, django_assert_num_queries
):
    _year_of_invoices(camille_activity, coop, n)
    with django_assert_num_queries(1):
        balance(activity=camille_activity)
    with django_assert_num_queries(2):
        balance(account=acc.AR, activity=camille_activity, as_of=dt.date(2026, 6, 15))
    with django_assert_num_queries(2):
        balance(account=acc.BANK, as_of=dt.date(2026, 6, 15))
    with django_assert_num_queries(3):
        trial_balance(as_of=dt.date(2026, 6, 15))
    with django_assert_num_queries(6):  # opening (2), summary (3), lines (1)
        statement = activity_statement(
            activity=camille_activity, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 9, 1)
        )
        list(statement.lines)
    with django_assert_num_queries(5):  # opening (2), closing (2), lines (1)
        list(general_ledger(account=_ar(), date_from=dt.date(2026, 3, 1)).lines)


def _ar() -> Account:
    return Account.objects.get(code=acc.AR)


def test_balances_as_of_any_day_equal_the_sum_of_the_lines(camille_activity, coop):
    _year_of_invoices(camille_activity, coop, 50)
    from maille.ledger.models import JournalLine

    for day in [
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 15),
        dt.date(2026, 7, 31),
        dt.date(2026, 12, 31),
    ]:
        for code in (acc.AR, acc.BANK, acc.REVENUE):
            expected = sum(
                (ln.amount for ln in JournalLine.objects.filter(account__code=code, date__lte=day)),
                Decimal("0.00"),
            )
            assert balance(account=code, as_of=day) == expected, (code, day)


def test_the_statement_runs_from_the_opening_to_the_closing_balance(camille_activity, coop):
    _year_of_invoices(camille_activity, coop, 20)
    statement = activity_statement(
        activity=camille_activity,
        date_from=dt.date(2026, 2, 1),
        date_to=dt.date(2026, 2, 28),
        account=_ar(),
    )
    lines = list(statement.lines)
    assert statement.opening == balance(
        account=acc.AR, activity=camille_activity, as_of=dt.date(2026, 1, 31)
    )
    running = statement.opening
    for ln in lines:
        running += ln.amount
        assert ln.running == running  # type: ignore[attr-defined]
    assert running == statement.closing
    assert all(dt.date(2026, 2, 1) <= ln.date <= dt.date(2026, 2, 28) for ln in lines)
