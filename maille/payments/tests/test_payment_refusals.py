"""Bad payments are refused with a message, and nothing is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from maille.ledger.models import JournalEntry
from maille.payments import services
from maille.payments.exceptions import PaymentRefused
from maille.payments.models import Payment
from maille.payments.services import AllocationSpec
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


def attempt(operating, client, amount, allocations):
    with pytest.raises(PaymentRefused) as caught:
        services.payment_record(
            bank_account=operating,
            client=client,
            date=dt.date(2026, 6, 10),
            amount=amount,
            method="cheque",
            acting_user=None,
            allocations=allocations,
        )
    assert not Payment.objects.exists()
    return " ".join(caught.value.problems)


def test_more_than_the_open_amount_is_refused(operating, issue, camille_activity, client_qc):
    invoice = issue(camille_activity, client_qc)
    before = JournalEntry.objects.count()
    message = attempt(operating, client_qc, D("2000.00"), [AllocationSpec(invoice, D("1500.00"))])
    assert "qui restent à payer" in message and "1\xa0149,75\xa0$" in message
    assert JournalEntry.objects.count() == before


def test_another_clients_invoice_is_refused(operating, issue, camille_activity, client_qc):
    other = factories.ClientFactory(legal_name="Autre inc.", province="QC")
    invoice = issue(camille_activity, other)
    assert "n'est pas une facture de ce client" in attempt(
        operating, client_qc, D("10.00"), [AllocationSpec(invoice, D("10.00"))]
    )


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (D("-5.00"), "plus grand que zéro"),
        (D("0"), "plus grand que zéro"),
        (D("1.005"), "deux décimales"),
    ],
)
def test_a_bad_amount_is_refused(operating, client_qc, amount, words):
    assert words in attempt(operating, client_qc, amount, [])


def test_allocations_beyond_the_payment_are_refused(operating, issue, camille_activity, client_qc):
    invoice = issue(camille_activity, client_qc)
    assert "dépassent le paiement" in attempt(
        operating, client_qc, D("100.00"), [AllocationSpec(invoice, D("200.00"))]
    )
