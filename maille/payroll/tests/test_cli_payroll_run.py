"""``maille payroll run``: one JSON object, the same run when run again."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from maille.ledger.models import JournalEntry
from maille.payroll import services
from maille.payroll.models import BankFile, Payslip, RequestBasis
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db

KEYS = [
    "run",
    "payslips",
    "gross",
    "net",
    "employer_contributions",
    "remittance_rq",
    "remittance_cra",
    "bank_file_total",
]


def _run(*args):
    out = StringIO()
    call_command("payroll", "run", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


@pytest.fixture
def requests_waiting(camille, camille_activity, jerome, jerome_activity):
    calendar()
    fund(camille_activity, "4000.00")
    fund(jerome_activity, "3000.00")
    with time_machine.travel(dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)):
        services.salary_request_create(
            member=camille,
            activity=camille_activity,
            basis=RequestBasis.GROSS,
            amount=Decimal("2000.00"),
            hours=Decimal("70"),
            acting_user=camille.user,
        )
        services.salary_request_create(
            member=jerome,
            activity=jerome_activity,
            basis=RequestBasis.ALL,
            amount=None,
            hours=Decimal("60"),
            acting_user=jerome.user,
        )


def test_run_prints_the_issue_keys_and_is_idempotent(requests_waiting, anne):
    dry = _run("--pay-date", "2026-01-22", "--dry-run", "--json")
    assert Payslip.objects.count() == 0
    first = _run("--pay-date", "2026-01-22", "--json")
    assert list(first) == KEYS
    assert first["payslips"] == 2
    assert first["gross"].endswith(".00") is False or Decimal(first["gross"]) > Decimal("2000")
    for key in KEYS[2:]:
        assert dry[key] == first[key], key
    assert Decimal(first["bank_file_total"]) == Decimal(first["net"])
    entries = JournalEntry.objects.count()
    second = _run("--pay-date", "2026-01-22", "--json")
    assert second == first
    assert JournalEntry.objects.count() == entries
    assert BankFile.objects.count() == 1


def test_a_date_off_the_calendar_is_refused(requests_waiting, anne):
    with pytest.raises(CommandError, match="2026-01-23"):
        _run("--pay-date", "2026-01-23", "--json")


def test_bank_file_is_written_identical_each_time(requests_waiting, anne, tmp_path):
    run_id = _run("--pay-date", "2026-01-22", "--json")["run"]
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    call_command("payroll", "bank-file", str(run_id), "-o", str(a), stdout=StringIO())
    call_command("payroll", "bank-file", str(run_id), "-o", str(b), stdout=StringIO())
    assert a.read_bytes() == b.read_bytes()
    records = a.read_bytes().split(b"\r\n")
    assert records[-1] == b""
    assert all(len(r) == 1464 for r in records[:-1])
