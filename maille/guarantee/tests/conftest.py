from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.contracts.tests.helpers import accepted_quote, lines
from maille.invoicing import services as invoicing
from maille.ledger.models import Account
from maille.payments.models import BankAccount

DAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 20, 16, tzinfo=dt.UTC), tick=False):
        yield


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
def issue_accepted(sylvie):
    """An invoice issued from a quote the client accepted online (covered)."""

    def make(member, activity, client, quantity="10", price="100.00", day=DAY):
        quote = accepted_quote(member, activity, client, sylvie, (quantity, price))
        draft = invoicing.invoice_create_from_quote(quote=quote, acting_user=sylvie)
        return invoicing.invoice_issue(invoice=draft, acting_user=sylvie, issue_date=day)

    return make


@pytest.fixture
def issue_plain(sylvie):
    """An invoice without a quote (not covered)."""

    def make(activity, client, quantity="10", price="100.00", day=DAY):
        draft = invoicing.invoice_create(
            activity=activity, client=client, acting_user=sylvie, lines=lines((quantity, price))
        )
        return invoicing.invoice_issue(invoice=draft, acting_user=sylvie, issue_date=day)

    return make


@pytest.fixture(autouse=True)
def reserve(db):
    """The fund's opening reserve: 100 000 $ in the bank (coverage well above the floor)."""
    return fund_reserve("100000.00")


def fund_reserve(amount: str, key: str = "test:fund:reserve") -> None:
    from maille.ledger import accounts
    from maille.ledger.services import LineSpec, entry_post
    from maille.members.models import Activity

    fonds = Activity.objects.get(code="FONDS")
    entry_post(
        date=dt.date(2026, 1, 2),
        description="Réserve d'ouverture du fonds de garantie",
        lines=[
            LineSpec(accounts.BANK, fonds, Decimal(amount)),
            LineSpec(accounts.GUARANTEE_FUND_RESERVE, fonds, -Decimal(amount)),
        ],
        idempotency_key=key,
        acting_user=None,
    )


def D(value: str) -> Decimal:
    return Decimal(value)
