"""Staff record a cheque from the invoice in two clicks; who sees which payment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core import mail

from maille.invoicing.models import InvoiceStatus
from maille.payments import services
from maille.payments.models import Payment
from maille.payments.services import AllocationSpec

pytestmark = pytest.mark.django_db


def test_staff_record_a_cheque_in_two_clicks(
    as_sylvie, operating, issue, camille_activity, client_qc
):
    older = issue(camille_activity, client_qc, day=dt.date(2026, 5, 20))  # within 30 days
    invoice = issue(camille_activity, client_qc)
    # Click 1: "Record a payment" on the invoice page.
    page = as_sylvie.get(f"/invoices/{invoice.pk}/")
    assert f"/payments/record/?invoice={invoice.pk}" in page.content.decode()
    form = as_sylvie.get(f"/payments/record/?invoice={invoice.pk}")
    body = form.content.decode()
    # The invoice named is proposed, not the older one.
    assert f'name="alloc-{invoice.pk}" inputmode="decimal" value="1149.75"' in body
    assert f'name="alloc-{older.pk}" inputmode="decimal" value=""' in body
    # Click 2: "Record", with what the page proposed.
    response = as_sylvie.post(
        "/payments/record/",
        {
            "invoice": invoice.pk,
            "bank_account": operating.pk,
            "date": "2026-06-14",
            "amount": "1149.75",
            "method": "cheque",
            "payer_name": "",
            "bank_reference": "CHQ 123",
            f"alloc-{invoice.pk}": "1149.75",
            f"alloc-{older.pk}": "",
        },
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    page = as_sylvie.get(f"/invoices/{invoice.pk}/").content.decode()
    assert Payment.objects.get().bank_reference == "CHQ 123"
    assert "invoice-payments" in page and "149,75" in page


def test_an_over_allocation_is_shown_on_the_form(
    as_sylvie, operating, issue, camille_activity, client_qc
):
    invoice = issue(camille_activity, client_qc)
    response = as_sylvie.post(
        "/payments/record/",
        {
            "invoice": invoice.pk,
            "bank_account": operating.pk,
            "date": "2026-06-14",
            "amount": "2000.00",
            "method": "cheque",
            f"alloc-{invoice.pk}": "2000.00",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert not Payment.objects.exists()


def test_members_see_payments_on_their_invoices_only(
    as_camille, as_jerome, camille, operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    payment = services.payment_record(
        bank_account=operating,
        client=client_qc,
        date=dt.date(2026, 6, 10),
        amount=D("500.00"),
        method="transfer",
        acting_user=sylvie,
        allocations=[AllocationSpec(invoice, D("500.00"))],
    )
    assert as_camille.get(f"/payments/{payment.pk}/").status_code == 200
    assert as_jerome.get(f"/payments/{payment.pk}/").status_code == 404
    assert as_camille.get("/payments/").status_code == 404
    assert "500,00" in as_camille.get(f"/invoices/{invoice.pk}/").content.decode()
    home = as_camille.get("/").content.decode()
    assert "member-payments" in home and invoice.number in home
    assert "member-payments" not in as_jerome.get("/").content.decode()


def test_the_member_is_emailed_in_their_language(
    camille,
    operating,
    issue,
    camille_activity,
    client_qc,
    sylvie,
    django_capture_on_commit_callbacks,
):
    invoice = issue(camille_activity, client_qc)
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_record(
            bank_account=operating,
            client=client_qc,
            date=dt.date(2026, 6, 10),
            amount=D("500.00"),
            method="transfer",
            acting_user=sylvie,
            allocations=[AllocationSpec(invoice, D("500.00"))],
        )
    (message,) = [m for m in mail.outbox if camille.user.email in m.to]
    assert "500,00\xa0$" in message.body and invoice.number in message.subject
    assert "a payé" in message.body


def test_the_client_portal_shows_payments(
    as_nathalie, operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    services.payment_record(
        bank_account=operating,
        client=client_qc,
        date=dt.date(2026, 6, 10),
        amount=D("300.00"),
        method="interac",
        acting_user=sylvie,
        allocations=[AllocationSpec(invoice, D("300.00"))],
    )
    page = as_nathalie.get("/portal/").content.decode()
    assert "300,00" in page and invoice.number in page
    assert as_nathalie.get("/payments/").status_code == 404
