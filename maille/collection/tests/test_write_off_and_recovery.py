"""Ledger stories of a write-off and a recovery, with the GST/QST bad-debt adjustment.

The write-off goes through the guarantee's loss absorption (issue 13); these
tests run once that app is installed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine

from maille.collection.exceptions import CollectionError
from maille.invoicing.models import InvoiceStatus
from maille.ledger import accounts
from maille.ledger.models import Account
from maille.ledger.selectors import balance
from maille.payments import services as payments
from maille.payments.models import BankAccount
from maille.payments.services import AllocationSpec

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 16, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bank(db):
    return BankAccount.objects.create(
        name="Desjardins",
        institution="815",
        transit="30001",
        number="1234567",
        currency="CAD",
        ledger_account=Account.objects.get(code="1000"),
    )


def test_a_write_off_then_a_recovery(issue, camille_activity, client_qc, sylvie, bank):
    from maille.collection.writeoff import recovery_record, write_off

    invoice = issue(camille_activity, client_qc, day=dt.date(2026, 5, 20), term=10)
    assert invoice.total == D("1149.75")
    payments.payment_record(
        bank_account=bank,
        client=client_qc,
        date=dt.date(2026, 6, 1),
        amount=D("149.75"),
        method="transfer",
        acting_user=sylvie,
        allocations=[AllocationSpec(invoice, D("149.75"))],
    )
    gst, qst = balance(account=accounts.GST_PAYABLE), balance(account=accounts.QST_PAYABLE)
    with pytest.raises(CollectionError):
        write_off(invoice_id=invoice.pk, amount=D("1000.00"), reason="", acting_user=sylvie)
    write_off(invoice_id=invoice.pk, amount=D("1000.00"), reason="Faillite", acting_user=sylvie)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.WRITTEN_OFF
    assert invoice.amount_written_off == D("1000.00")
    assert balance(account=accounts.AR, activity=camille_activity) == D("0.00")
    # Tax × unpaid share: 50.00 × 1000 / 1149.75 and 99.75 × 1000 / 1149.75.
    assert balance(account=accounts.GST_PAYABLE) - gst == D("43.49")
    assert balance(account=accounts.QST_PAYABLE) - qst == D("86.76")
    assert balance(account=accounts.BAD_DEBTS) == D("1000.00") - D("43.49") - D("86.76")
    # A write-off of a paid invoice is refused.
    with pytest.raises(CollectionError):
        write_off(invoice_id=invoice.pk, amount=D("1.00"), reason="x", acting_user=sylvie)

    later = payments.payment_record(
        bank_account=bank,
        client=client_qc,
        date=dt.date(2026, 6, 15),
        amount=D("400.00"),
        method="transfer",
        acting_user=sylvie,
    )
    recovery_record(
        invoice_id=invoice.pk, payment_id=later.pk, amount=D("400.00"), acting_user=sylvie
    )
    invoice.refresh_from_db()
    assert invoice.amount_written_off == D("600.00")
    assert invoice.amount_paid == D("549.75")
    assert invoice.status == InvoiceStatus.WRITTEN_OFF
    assert balance(account=accounts.AR, activity=camille_activity) == D("0.00")
    # 40 % of the adjustment back in: the tax is owed again on what was recovered.
    assert balance(account=accounts.GST_PAYABLE) - gst == D("43.49") - D("17.40")
    assert balance(account=accounts.QST_PAYABLE) - qst == D("86.76") - D("34.70")
    assert balance(account=accounts.BAD_DEBTS) == D("869.75") - D("347.90")
