"""Postings that race each other on PostgreSQL, each thread with its own connection."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection

from maille.ledger import accounts as acc
from maille.ledger.models import Balance, JournalEntry
from maille.ledger.selectors import balance, ledger_problems
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import COOP_ACTIVITY_CODE, FUND_ACTIVITY_CODE, Activity

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 8


def _race(work: Callable[[int], int]) -> list[int]:
    barrier = threading.Barrier(THREADS)
    results: list[int] = []
    errors: list[Exception] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def _lines(amount: str) -> list[LineSpec]:
    coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
    fonds = Activity.objects.get(code=FUND_ACTIVITY_CODE)
    return [
        LineSpec(account=acc.BANK, activity=coop, amount=Decimal(amount)),
        LineSpec(account=acc.CONTRIBUTION_INCOME, activity=fonds, amount=-Decimal(amount)),
    ]


def test_many_postings_of_one_key_make_exactly_one_entry():
    def work(i: int) -> int:
        entry = entry_post(
            date=dt.date(2026, 3, 2),
            description="Payment 77",
            lines=_lines("100.00"),
            idempotency_key="payment:77",
            acting_user=None,
        )
        return entry.pk

    ids = _race(work)
    assert len(set(ids)) == 1
    assert JournalEntry.objects.count() == 1
    assert balance(account=acc.BANK) == Decimal("100.00")
    assert ledger_problems() == []


def test_concurrent_postings_to_one_balance_lose_no_update():
    def work(i: int) -> int:
        entry = entry_post(
            date=dt.date(2026, 3, 2),
            description=f"Payment {i}",
            lines=_lines("10.00"),
            idempotency_key=f"payment:{i}",
            acting_user=None,
        )
        return entry.number

    numbers = _race(work)
    assert sorted(numbers) == list(range(1, THREADS + 1))  # gapless, no duplicate
    row = Balance.objects.get(account__code=acc.BANK)
    assert row.amount == Decimal("10.00") * THREADS
    assert ledger_problems() == []
