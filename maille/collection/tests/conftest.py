from __future__ import annotations

import datetime as dt

import pytest

from maille.contracts.tests.helpers import accepted_quote, lines
from maille.invoicing import services as invoicing
from maille.tests_support import factories


@pytest.fixture
def issue(sylvie, camille):
    """``issue(activity, client, day=…, term=30)`` → an issued invoice of 1 000 $ + taxes."""

    def make(activity, client, day=dt.date(2026, 3, 2), quantity="10", price="100.00", term=30):
        draft = invoicing.invoice_create(
            activity=activity,
            client=client,
            acting_user=sylvie,
            lines=lines((quantity, price)),
            payment_term_days=term,
        )
        return invoicing.invoice_issue(invoice=draft, acting_user=sylvie, issue_date=day)

    return make


@pytest.fixture
def issue_from_quote(sylvie, camille):
    """An invoice of the whole of an accepted quote (its late-interest rate agreed)."""

    def make(activity, client, day=dt.date(2026, 3, 2), rate="12.00"):
        from decimal import Decimal

        quote = accepted_quote(camille, activity, client, sylvie, late_interest_rate=Decimal(rate))
        draft = invoicing.invoice_create_from_quote(quote=quote, acting_user=sylvie, mode="whole")
        return invoicing.invoice_issue(invoice=draft, acting_user=sylvie, issue_date=day)

    return make


@pytest.fixture
def contact(client_qc):
    return factories.ClientContactFactory(
        client=client_qc, name="Comptes fournisseurs", email="comptes@fleuve.test"
    )
