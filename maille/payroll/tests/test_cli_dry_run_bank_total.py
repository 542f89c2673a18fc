"""``maille payroll run --dry-run`` prints the bank file total the real run makes:
net pays and the credits of the apps above payroll (an expense reimbursement
waiting for the next file), not the net pays alone."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from maille.payroll import bankfile
from maille.payroll.bankfile import ExtraCredit, bank_file_provider_register
from maille.payroll.models import BankFile
from maille.payroll.tests.test_cli_payroll_run import KEYS, requests_waiting  # noqa: F401

pytestmark = pytest.mark.django_db


class _Expenses:
    """An approved expense claim waiting for the next bank file (what expenses provides)."""

    def __init__(self, credits):
        self.credits = credits

    def credits_due(self, *, run):
        return self.credits

    def credits_filed(self, *, bank_file, filed, left_out):
        self.credits = []  # in a file now: no longer due

    def file_sent(self, *, bank_file, acting_user):
        pass


def _run(*args):
    out = StringIO()
    call_command("payroll", "run", "--pay-date", "2026-01-22", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_dry_run_counts_a_pending_expense_credit_like_the_file(
    requests_waiting,  # noqa: F811
    camille,
    anne,
    monkeypatch,
):
    monkeypatch.setattr(bankfile, "_providers", {})
    claim = ExtraCredit("expenses:claim:1", camille, Decimal("87.40"), "452", "MAILLEEXP1")
    bank_file_provider_register("expenses", _Expenses([claim]))

    dry = _run("--dry-run")
    assert not BankFile.objects.exists()
    real = _run()
    for key in KEYS[2:]:
        assert dry[key] == real[key], key
    assert Decimal(real["bank_file_total"]) == Decimal(real["net"]) + Decimal("87.40")
    assert BankFile.objects.get().total == Decimal(real["bank_file_total"])
