"""The database refuses what the posting service refuses, even past the ORM.

Each test writes rows with raw SQL, as a script or a bad migration would.
On PostgreSQL the balance check is deferred to commit: the tests ask for it
now with ``SET CONSTRAINTS ALL IMMEDIATE`` (and one test really commits).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from maille.ledger import accounts as acc
from maille.ledger.models import Account, JournalEntry, JournalLine, Period
from maille.ledger.tests.conftest import line, post

pytestmark = pytest.mark.django_db

is_postgres = connection.vendor == "postgresql"


def _account_id(code: str) -> int:
    return Account.objects.get(code=code).pk


def _insert_entry(number: int, line_count: int, date: str = "2026-03-02") -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_journalentry (number, date, description, idempotency_key, "
            "line_count, posted_at) VALUES (%s, %s, 'raw', %s, %s, %s)",
            [number, date, f"raw:{number}", line_count, "2026-03-02T12:00:00+00:00"],
        )
        cursor.execute("SELECT id FROM ledger_journalentry WHERE number = %s", [number])
        return int(cursor.fetchone()[0])


def _insert_line(
    entry_id: int, code: str, activity_id: int, amount: str, date: str = "2026-03-02"
) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_journalline "
            "(entry_id, account_id, activity_id, amount, date, memo) "
            "VALUES (%s, %s, %s, %s, %s, '')",
            [entry_id, _account_id(code), activity_id, amount, date],
        )


def _commit_checks() -> None:
    if is_postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_balanced_raw_entry_is_accepted(coop, camille_activity):
    with transaction.atomic():
        entry_id = _insert_entry(900, 2)
        _insert_line(entry_id, acc.BANK, coop.pk, "10.00")
        _insert_line(entry_id, acc.REVENUE, camille_activity.pk, "-10.00")
        _commit_checks()
    assert JournalLine.objects.filter(entry_id=entry_id).count() == 2


def test_an_unbalanced_raw_entry_is_refused(coop, camille_activity):
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        entry_id = _insert_entry(901, 2)
        _insert_line(entry_id, acc.BANK, coop.pk, "10.00")
        _insert_line(entry_id, acc.REVENUE, camille_activity.pk, "-9.99")
        _commit_checks()
    assert not JournalEntry.objects.filter(number=901).exists()


def test_a_line_added_to_a_posted_entry_is_refused(coop, camille_activity):
    entry = post(line(acc.BANK, coop, "10.00"), line(acc.REVENUE, camille_activity, "-10.00"))
    with pytest.raises(IntegrityError, match="posted journal entry"), transaction.atomic():
        _insert_line(entry.pk, acc.BANK, coop.pk, "1.00")
        _insert_line(entry.pk, acc.REVENUE, coop.pk, "-1.00")  # even balanced
        _commit_checks()


def test_a_zero_line_is_refused(coop):
    with pytest.raises(IntegrityError), transaction.atomic():
        entry_id = _insert_entry(902, 2)
        _insert_line(entry_id, acc.BANK, coop.pk, "0.00")


def test_an_entry_with_fewer_than_two_lines_declared_is_refused(coop):
    with pytest.raises(IntegrityError), transaction.atomic():
        _insert_entry(903, 0)


@pytest.mark.postgres
def test_an_entry_missing_its_lines_is_refused_at_commit(coop):
    with (
        pytest.raises(IntegrityError, match="has 2 lines but was posted with 3"),
        transaction.atomic(),
    ):
        entry_id = _insert_entry(904, 3)
        _insert_line(entry_id, acc.BANK, coop.pk, "10.00")
        _insert_line(entry_id, acc.REVENUE, coop.pk, "-10.00")
        _commit_checks()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_journalline SET amount = amount * 2",
        "UPDATE ledger_journalline SET activity_id = activity_id",
        "DELETE FROM ledger_journalline",
        "UPDATE ledger_journalentry SET description = 'changed'",
        "UPDATE ledger_journalentry SET date = '2026-04-01'",
        "DELETE FROM ledger_journalentry",
    ],
)
def test_posted_rows_can_be_neither_changed_nor_deleted(sql, coop, camille_activity):
    post(line(acc.BANK, coop, "10.00"), line(acc.REVENUE, camille_activity, "-10.00"))
    with (
        pytest.raises(IntegrityError, match="cannot be"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


def test_the_orm_cannot_change_a_posted_line_either(coop, camille_activity):
    entry = post(line(acc.BANK, coop, "10.00"), line(acc.REVENUE, camille_activity, "-10.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.lines.update(amount=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.lines.first().delete()


def test_lines_on_a_closed_account_are_refused(coop, camille_activity):
    Account.objects.filter(code=acc.HST_PAYABLE).update(is_open=False)
    with pytest.raises(IntegrityError, match="closed account"), transaction.atomic():
        entry_id = _insert_entry(905, 2)
        _insert_line(entry_id, acc.HST_PAYABLE, coop.pk, "10.00")
        _insert_line(entry_id, acc.REVENUE, camille_activity.pk, "-10.00")
        _commit_checks()


def test_entries_in_a_closed_period_are_refused(coop):
    Period.objects.create(month=dt.date(2026, 2, 1), is_closed=True)
    with pytest.raises(IntegrityError, match="closed"), transaction.atomic():
        _insert_entry(906, 2, date="2026-02-27")


def test_a_line_dated_otherwise_than_its_entry_is_refused(coop, camille_activity):
    with pytest.raises(IntegrityError, match="dated otherwise"), transaction.atomic():
        entry_id = _insert_entry(907, 2)
        _insert_line(entry_id, acc.BANK, coop.pk, "10.00", date="2026-03-03")
        _insert_line(entry_id, acc.REVENUE, camille_activity.pk, "-10.00", date="2026-03-03")
        _commit_checks()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_balance_check_runs_at_commit():
    from maille.members.models import COOP_ACTIVITY_CODE, Activity

    coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        entry_id = _insert_entry(908, 2)
        _insert_line(entry_id, acc.BANK, coop.pk, "10.00")
        _insert_line(entry_id, acc.REVENUE, coop.pk, "-1.00")
        # no SET CONSTRAINTS: the deferred trigger fires at COMMIT
    assert not JournalEntry.objects.filter(number=908).exists()
