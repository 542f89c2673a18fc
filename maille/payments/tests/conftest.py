from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine

from maille.contracts.tests.helpers import lines
from maille.invoicing import services as invoicing
from maille.ledger.models import Account
from maille.payments.models import BankAccount


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def operating(db):
    """The demo's operating account: Desjardins 815-30001-1234567, ledger account 1000."""
    return BankAccount.objects.create(
        name="Desjardins — opérations",
        institution="815",
        transit="30001",
        number="1234567",
        currency="CAD",
        ledger_account=Account.objects.get(code="1000"),
    )


@pytest.fixture
def issue(sylvie, camille):
    """``issue(activity, client, "10", "100.00", day=…)`` → an issued invoice (100 $/h)."""

    def make(activity, client, quantity="10", price="100.00", day=dt.date(2026, 6, 1)):
        draft = invoicing.invoice_create(
            activity=activity, client=client, acting_user=sylvie, lines=lines((quantity, price))
        )
        return invoicing.invoice_issue(invoice=draft, acting_user=sylvie, issue_date=day)

    return make


def bal(account, activity=None, **kw):
    from maille.ledger.selectors import balance

    return (
        balance(account=account, activity=activity, **kw)
        if activity
        else balance(account=account, **kw)
    )


ZERO = D("0.00")
