"""Accounting stories of client payments, checking the ledger at the end of each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from maille.invoicing.models import InvoiceStatus
from maille.invoicing.selectors import balance_due
from maille.ledger import accounts
from maille.ledger.selectors import balance
from maille.members.models import Activity
from maille.payments import selectors, services
from maille.payments.exceptions import PaymentRefused
from maille.payments.services import AllocationSpec

pytestmark = pytest.mark.django_db


def coop():
    return Activity.objects.get(code="COOP")


def record(operating, client, amount, allocations=(), user=None, day=dt.date(2026, 6, 10)):
    return services.payment_record(
        bank_account=operating,
        client=client,
        date=day,
        amount=D(amount),
        method="cheque",
        acting_user=user,
        allocations=[AllocationSpec(i, D(a)) for i, a in allocations],
    )


def test_a_client_pays_half_then_the_rest(operating, issue, camille_activity, client_qc, sylvie):
    invoice = issue(camille_activity, client_qc)  # 1 149,75 $
    record(operating, client_qc, "500.00", [(invoice, "500.00")], sylvie)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PARTIALLY_PAID
    assert balance_due(invoice) == D("649.75")
    assert balance(account=accounts.AR, activity=camille_activity) == D("649.75")
    assert balance(account=accounts.BANK, activity=camille_activity) == D("500.00")

    record(operating, client_qc, "649.75", [(invoice, "649.75")], sylvie, dt.date(2026, 6, 12))
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, balance_due(invoice)) == (
        InvoiceStatus.PAID,
        D("1149.75"),
        D("0"),
    )
    assert balance(account=accounts.AR) == D("0")
    assert balance(account=accounts.BANK) == D("1149.75")
    assert balance() == D("0")


def test_an_overpayment_leaves_a_credit_applied_later_then_the_rest_refunded(
    operating, issue, camille_activity, client_qc, sylvie
):
    first = issue(camille_activity, client_qc)  # 1 149,75
    payment = record(operating, client_qc, "1500.00", [(first, "1149.75")], sylvie)
    assert selectors.client_credit(client=client_qc) == D("350.25")
    assert balance(account=accounts.CLIENT_CREDITS, activity=coop()) == D("-350.25")
    assert balance(account=accounts.BANK) == D("1500.00")

    second = issue(camille_activity, client_qc, "2", "100.00")  # 229,95
    services.credit_apply(
        payment=payment, allocations=[AllocationSpec(second, D("229.95"))], acting_user=sylvie
    )
    second.refresh_from_db()
    assert second.status == InvoiceStatus.PAID
    assert balance(account=accounts.CLIENT_CREDITS) == D("-120.30")
    assert balance(account=accounts.AR) == D("0")
    # The bank's total did not move; its share moved from the co-op to the activity.
    assert balance(account=accounts.BANK) == D("1500.00")
    assert balance(account=accounts.BANK, activity=camille_activity) == D("1379.70")

    services.credit_refund(payment=payment, amount=D("120.30"), method="cheque", acting_user=sylvie)
    assert selectors.client_credit(client=client_qc) == D("0")
    assert balance(account=accounts.CLIENT_CREDITS) == D("0")
    assert balance(account=accounts.BANK) == D("1379.70")
    assert balance() == D("0")


def test_a_payment_from_an_unknown_payer_waits_then_is_allocated(
    operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    payment = record(operating, None, "1149.75", user=sylvie)
    assert balance(account=accounts.CLIENT_CREDITS) == D("-1149.75")
    services.credit_apply(
        payment=payment,
        allocations=[AllocationSpec(invoice, D("1149.75"))],
        acting_user=sylvie,
        client=client_qc,
    )
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.client == client_qc and invoice.status == InvoiceStatus.PAID
    assert balance(account=accounts.CLIENT_CREDITS) == D("0")


def test_a_bounced_cheque_reopens_the_invoice_and_reverses_the_entries(
    operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    payment = record(operating, client_qc, "1200.00", [(invoice, "1149.75")], sylvie)
    services.payment_reverse(
        payment=payment,
        date=dt.date(2026, 6, 14),
        reason="Chèque sans provision",
        acting_user=sylvie,
    )
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED and balance_due(invoice) == D("1149.75")
    assert payment.allocations.count() == 1  # nothing deleted
    assert balance(account=accounts.BANK) == D("0")
    assert balance(account=accounts.AR) == D("1149.75")
    assert balance(account=accounts.CLIENT_CREDITS) == D("0")
    from maille.ledger.models import JournalEntry

    assert JournalEntry.objects.filter(reverses__isnull=False).count() == 1
    # Collected as of before the reversal, not after.
    assert selectors.collected(invoice_ids=[invoice.pk], as_of=dt.date(2026, 6, 12)) == {
        invoice.pk: D("1149.75")
    }
    assert selectors.collected(invoice_ids=[invoice.pk]) == {}
    with pytest.raises(PaymentRefused):
        services.payment_reverse(
            payment=payment, date=dt.date(2026, 6, 14), reason="again", acting_user=sylvie
        )


def test_collected_subtotal_is_pro_rata(operating, issue, camille_activity, client_qc, sylvie):
    invoice = issue(camille_activity, client_qc)  # 1 000 + taxes = 1 149,75
    record(operating, client_qc, "574.88", [(invoice, "574.88")], sylvie)
    assert selectors.collected_subtotal(activity=camille_activity) == {invoice.pk: D("500.00")}
    assert selectors.activity_collected_subtotal(activity=camille_activity) == D("500.00")
    assert selectors.activity_collected_subtotal(
        activity=camille_activity, as_of=dt.date(2026, 6, 9)
    ) == D("0")


def test_a_credit_note_after_a_partial_payment_settles_the_invoice(
    operating, issue, camille_activity, client_qc, sylvie
):
    from maille.invoicing import services as invoicing

    invoice = issue(camille_activity, client_qc)
    record(operating, client_qc, "574.88", [(invoice, "574.88")], sylvie)
    note = invoicing.credit_note_create(
        invoice=invoice,
        acting_user=sylvie,
        reason="Moitié annulée",
        amounts={invoice.lines.get().pk: D("500.00")},
    )
    invoicing.invoice_issue(invoice=note, acting_user=sylvie)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and balance_due(invoice) == D("0")
