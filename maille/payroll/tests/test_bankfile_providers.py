"""An app above payroll adds its own credits to the next bank file, with its own
CPA-005 transaction code, and posts its payments when the file is sent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maille.payroll import bankfile
from maille.payroll.bankfile import (
    ExtraCredit,
    bank_file_create,
    bank_file_mark_sent,
    bank_file_provider_register,
)
from maille.payroll.cpa005 import RECORD
from maille.payroll.tests.helpers import calendar

pytestmark = pytest.mark.django_db


class _Provider:
    def __init__(self, credits):
        self.credits = credits
        self.filed = None
        self.sent = []

    def credits_due(self, *, run):
        return self.credits

    def credits_filed(self, *, bank_file, filed, left_out):
        self.filed = (bank_file, list(filed), list(left_out))

    def file_sent(self, *, bank_file, acting_user):
        self.sent.append(bank_file)


@pytest.fixture
def provider(monkeypatch):
    monkeypatch.setattr(bankfile, "_providers", {})

    def make(credits):
        p = _Provider(credits)
        bank_file_provider_register("test", p)
        return p

    return make


def _posted_run(staff):
    from maille.payroll import services

    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=staff)
    services.payrun_approve(run=run, acting_user=staff)
    return services.payrun_post(run=run, acting_user=staff)


def test_a_provider_credit_goes_in_the_file_with_its_own_code(camille, jerome, sylvie, provider):
    calendar()
    camille.bank_account = "815-30001-1234567"
    camille.save()
    jerome.bank_account = ""
    jerome.save()
    good = ExtraCredit("t:1", camille, Decimal("42.50"), "230", "EXP1")
    bad = ExtraCredit("t:2", jerome, Decimal("10.00"), "230", "EXP2")  # no bank account
    p = provider([good, bad])
    run = _posted_run(sylvie)
    file = bank_file_create(run=run, acting_user=sylvie)
    assert file.count == 1
    assert file.total == Decimal("42.50")
    c_record = file.content.split("\r\n")[1]
    assert len(c_record) == RECORD
    segment = c_record[24:264]
    assert segment[:3] == "230"
    assert segment[3:13] == "0000004250"
    assert p.filed[1] == [good]
    assert [e.key for e, _reason in p.filed[2]] == ["t:2"]
    assert file.excluded[0]["credit"] == "t:2"
    bank_file_mark_sent(bank_file=file, acting_user=sylvie)
    assert p.sent == [file]


def test_a_transaction_code_must_be_three_digits(camille, sylvie, provider):
    calendar()
    camille.bank_account = "815-30001-1234567"
    camille.save()
    provider([ExtraCredit("t:1", camille, Decimal("1.00"), "23", "EXP1")])
    run = _posted_run(sylvie)
    with pytest.raises(ValueError, match="three digits"):
        bank_file_create(run=run, acting_user=sylvie)
