"""A credit note that names the same invoice line twice is refused (ISSUE 8, finding 11).

It used to answer 201 and keep only one of the two amounts.
"""

from __future__ import annotations

import pytest

from maille.contracts.tests.helpers import lines
from maille.invoicing import services
from maille.invoicing.models import Invoice, InvoiceKind

pytestmark = pytest.mark.django_db


def test_a_line_named_twice_is_refused_with_its_field(
    as_sylvie, camille, camille_activity, client_qc, sylvie
):
    invoice = services.invoice_issue(
        invoice=services.invoice_create(
            activity=camille_activity,
            client=client_qc,
            acting_user=camille.user,
            lines=lines(("10", "100.00")),
        ),
        acting_user=sylvie,
    )
    line = invoice.lines.get()
    response = as_sylvie.post(
        f"/api/v1/invoices/{invoice.pk}/credit-notes",
        {
            "reason": "Erreur",
            "lines": [
                {"line_id": line.pk, "amount": "100.00"},
                {"line_id": line.pk, "amount": "200.00"},
            ],
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["field"] == "lines.1.line_id"
    assert "twice" in error["message"]
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()
