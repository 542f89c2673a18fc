"""A payment later received on a written-off invoice is found and booked as a recovery.

Payments cannot allocate to a written-off invoice (nothing is owed on it) and
cannot import collection: the money stays the client's credit, and the daily
run books it as a recovery when the payment names the invoice (a payment
naming none may be a deposit for work to come); otherwise staff book it from the
recoveries page or the API.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import pytest
import time_machine
from django.utils import timezone

from maille.collection.dunning import collection_run
from maille.collection.models import Recovery
from maille.collection.writeoff import recovery_candidates, write_off
from maille.invoicing.models import InvoiceStatus
from maille.ledger import accounts
from maille.ledger.models import Account
from maille.ledger.selectors import balance
from maille.payments import services as payments
from maille.payments.models import BankAccount

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 16, tzinfo=dt.UTC)  # a Monday, noon in Montréal


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


@pytest.fixture
def written_off(issue, camille_activity, client_qc, sylvie):
    invoice = issue(camille_activity, client_qc, day=dt.date(2026, 5, 20), term=10)
    write_off(invoice_id=invoice.pk, amount=invoice.total, reason="Faillite", acting_user=sylvie)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.WRITTEN_OFF
    return invoice


def _pay(bank, client, sylvie, amount, reference=""):
    return payments.payment_record(
        bank_account=bank,
        client=client,
        date=timezone.localdate(),
        amount=amount,
        method="transfer",
        acting_user=sylvie,
        bank_reference=reference,
    )


def _run():
    day = timezone.localdate()
    return collection_run(date=day, now=timezone.now())


def test_a_payment_naming_the_written_off_invoice_is_booked_by_the_daily_run(
    written_off, bank, client_qc, sylvie, camille_activity
):
    gst = balance(account=accounts.GST_PAYABLE)
    bad_debts = balance(account=accounts.BAD_DEBTS)
    _pay(bank, client_qc, sylvie, D("459.90"), reference=f"Paiement {written_off.number}")
    result = _run()
    assert result.recoveries == 1
    recovery = Recovery.objects.get()
    assert recovery.automatic and recovery.amount == D("459.90")
    written_off.refresh_from_db()
    assert written_off.amount_paid == D("459.90")
    assert written_off.amount_written_off == written_off.total - D("459.90")
    # 40 % of the invoice: 40 % of the GST adjustment owed again, the bad debt 40 % lower.
    assert balance(account=accounts.GST_PAYABLE) - gst == D("-20.00")
    assert balance(account=accounts.BAD_DEBTS) - bad_debts == D("-400.00")
    assert balance(account=accounts.AR, activity=camille_activity) == D("0.00")
    assert balance(account=accounts.CLIENT_CREDITS) == D("0.00")
    assert _run().recoveries == 0  # the second run finds nothing more


def test_a_payment_that_may_be_for_another_invoice_waits_for_staff(
    written_off, bank, client_qc, sylvie, issue, camille_activity, as_sylvie, as_camille
):
    issue(camille_activity, client_qc, day=dt.date(2026, 6, 10), term=30)  # still owed
    payment = _pay(bank, client_qc, sylvie, D("100.00"))
    assert _run().recoveries == 0
    assert not Recovery.objects.exists()
    [candidate] = recovery_candidates()
    assert candidate.payment == payment and not candidate.automatic
    assert written_off.number in as_sylvie.get("/collection/recoveries/").content.decode()
    assert as_camille.get("/collection/recoveries/").status_code == 404
    body = {"invoice_id": written_off.pk, "payment_id": payment.pk, "amount": "100.00"}
    denied = as_camille.post(
        "/api/v1/collection/recoveries", json.dumps(body), content_type="application/json"
    )
    assert denied.status_code == 403
    booked = as_sylvie.post(
        "/api/v1/collection/recoveries", json.dumps(body), content_type="application/json"
    )
    assert booked.status_code == 201, booked.content
    assert booked.json()["automatic"] is False
    listed = as_sylvie.get("/api/v1/collection/recoveries").json()
    assert [r["amount"] for r in listed] == ["100.00"]
    too_much = as_sylvie.post(
        "/api/v1/collection/recoveries",
        json.dumps({**body, "amount": "5000.00"}),
        content_type="application/json",
    )
    assert too_much.status_code == 422


def test_a_payment_that_names_no_invoice_waits_for_staff_even_when_nothing_else_is_owed(
    written_off, bank, client_qc, sylvie
):
    """It may be a deposit for work to come: the run books nothing, staff decide."""
    payment = _pay(bank, client_qc, sylvie, D("2000.00"))
    assert _run().recoveries == 0
    written_off.refresh_from_db()
    assert written_off.status == InvoiceStatus.WRITTEN_OFF
    assert not Recovery.objects.exists()
    (candidate,) = recovery_candidates()
    assert candidate.payment == payment and candidate.nothing_else_owed
    assert not candidate.automatic
