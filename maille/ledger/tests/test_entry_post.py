"""Posting an entry: what is accepted, what is refused and why, and replays."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maille.ledger import accounts as acc
from maille.ledger.exceptions import PostingError
from maille.ledger.models import Account, Balance, JournalEntry, JournalLine
from maille.ledger.selectors import balance
from maille.ledger.services import LineSpec, entry_post
from maille.ledger.tests.conftest import line, post

pytestmark = pytest.mark.django_db


def test_it_posts_a_balanced_entry_with_gapless_numbers(camille_activity, coop, sylvie):
    first = post(
        line(acc.BANK, coop, "100.00"),
        line(acc.SHARE_CAPITAL, camille_activity, "-100.00"),
        acting_user=sylvie,
    )
    second = post(line(acc.BANK, coop, "5.00"), line(acc.SHARE_CAPITAL, camille_activity, "-5.00"))
    assert second.number == first.number + 1
    assert first.posted_by == sylvie
    assert first.line_count == 2
    assert [ln.amount for ln in first.lines.order_by("id")] == [
        Decimal("100.00"),
        Decimal("-100.00"),
    ]
    assert first.display_number == f"JE-{first.number:07d}"


def test_it_records_the_source_document(camille_activity, coop):
    entry = post(
        line(acc.BANK, coop, "1.00"),
        line(acc.REVENUE, camille_activity, "-1.00"),
        source=camille_activity,
    )
    entry.refresh_from_db()
    assert entry.source == camille_activity


def test_it_refuses_an_unbalanced_entry(camille_activity, coop):
    with pytest.raises(PostingError) as exc:
        post(
            line(acc.AR, camille_activity, "1149.75"),
            line(acc.REVENUE, camille_activity, "-1000.00"),
        )
    assert exc.value.problems == [
        "The entry does not balance: debits 1149.75, credits 1000.00, difference 149.75."
    ]
    assert not JournalEntry.objects.exists()


def test_it_refuses_an_empty_entry(db):
    with pytest.raises(PostingError) as exc:
        post()
    assert exc.value.problems == ["The entry has no lines."]


def test_it_reports_every_problem_at_once(camille_activity, coop):
    Account.objects.filter(code=acc.HST_PAYABLE).update(is_open=False)
    with pytest.raises(PostingError) as exc:
        entry_post(
            date=dt.date(2026, 3, 2),
            description="",
            lines=[
                LineSpec(account="9999", activity=coop, amount=Decimal("10.00")),
                LineSpec(account=acc.REVENUE, activity=camille_activity, amount=Decimal("0.00")),
                LineSpec(account=acc.HST_PAYABLE, activity=coop, amount=Decimal("-1.005")),
                LineSpec(account=acc.BANK, activity=coop, amount=1.5),  # type: ignore[arg-type]
                LineSpec(account=acc.BANK, activity=None, amount=Decimal("3")),  # type: ignore[arg-type]
            ],
            idempotency_key="k",
            acting_user=None,
        )
    assert exc.value.problems == [
        "The entry has no description.",
        "Line 2: the amount is zero.",
        "Line 3: -1.005 has more than two decimals.",
        "Line 4: the amount must be a Decimal, not float.",
        "Line 5: no activity.",
        "Line 1: there is no account 9999.",
        "Line 3: the account 2120 HST payable is closed.",
    ]
    assert str(exc.value).startswith("The entry has no description.; Line 2")


def test_account_names_follow_the_language(db):
    from django.utils import translation

    account = Account.objects.get(code=acc.QST_PAYABLE)
    with translation.override("fr"):
        assert account.name == "TVQ à payer"
    with translation.override("en"):
        assert account.name == "QST payable"


def test_posting_the_same_key_twice_returns_the_first_entry_and_writes_nothing(
    camille_activity, coop, django_assert_num_queries
):
    lines = [line(acc.BANK, coop, "10.00"), line(acc.REVENUE, camille_activity, "-10.00")]
    first = post(*lines, key="invoice:1:issue")
    with django_assert_num_queries(3):  # savepoint, look-up of the key, release: no write
        again = post(*lines, key="invoice:1:issue")
    assert again == first
    assert JournalEntry.objects.count() == 1
    assert JournalLine.objects.count() == 2
    assert balance(account=acc.BANK) == Decimal("10.00")


def test_a_replay_returns_the_first_entry_even_if_the_lines_differ(camille_activity, coop):
    first = post(
        line(acc.BANK, coop, "10.00"), line(acc.REVENUE, camille_activity, "-10.00"), key="k1"
    )
    again = post(
        line(acc.BANK, coop, "99.00"), line(acc.REVENUE, camille_activity, "-99.00"), key="k1"
    )
    assert again == first
    assert balance(account=acc.BANK) == Decimal("10.00")


def test_posting_costs_a_fixed_number_of_queries(camille_activity, coop, django_assert_num_queries):
    lines = [
        line(acc.AR, camille_activity, "1149.75"),
        line(acc.REVENUE, camille_activity, "-1000.00"),
        line(acc.GST_PAYABLE, coop, "-50.00"),
        line(acc.QST_PAYABLE, coop, "-99.75"),
    ]
    post(*lines)
    with django_assert_num_queries(11):  # as many for 20 lines as for 4
        post(*(lines * 5))


def test_balances_are_kept_in_the_same_transaction(camille_activity, coop):
    post(
        line(acc.BANK, coop, "10.00"),
        line(acc.REVENUE, camille_activity, "-10.00"),
        date=dt.date(2026, 3, 31),
    )
    post(
        line(acc.BANK, coop, "5.00"),
        line(acc.REVENUE, camille_activity, "-5.00"),
        date=dt.date(2026, 3, 1),
    )
    row = Balance.objects.get(account__code=acc.REVENUE, activity=camille_activity)
    assert (row.month, row.amount) == (dt.date(2026, 3, 1), Decimal("-15.00"))


def test_a_posting_inside_a_failed_transaction_leaves_nothing(camille_activity, coop):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        post(line(acc.BANK, coop, "10.00"), line(acc.REVENUE, camille_activity, "-10.00"))
        raise RuntimeError("the invoice could not be issued")
    assert not JournalEntry.objects.exists()
    assert not Balance.objects.exists()
    entry = post(line(acc.BANK, coop, "10.00"), line(acc.REVENUE, camille_activity, "-10.00"))
    assert entry.number == 1  # the number was given back with the rollback
