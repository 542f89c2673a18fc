from __future__ import annotations

import datetime as dt

import pytest

from maille.contracts.tests.helpers import lines
from maille.invoicing import services as invoicing
from maille.ledger.models import Account
from maille.payments.models import BankAccount


@pytest.fixture
def operating(db):
    return BankAccount.objects.create(
        name="Desjardins — opérations",
        institution="815",
        transit="30001",
        number="1234567",
        currency="CAD",
        ledger_account=Account.objects.get(code="1000"),
    )


@pytest.fixture
def issue(sylvie):
    """``issue(activity, client, "10", "100.00")`` → an issued invoice (1 000 $ + taxes in QC)."""

    def make(activity, client, quantity="10", price="100.00", day=dt.date(2026, 6, 1)):
        draft = invoicing.invoice_create(
            activity=activity, client=client, acting_user=sylvie, lines=lines((quantity, price))
        )
        return invoicing.invoice_issue(invoice=draft, acting_user=sylvie, issue_date=day)

    return make
