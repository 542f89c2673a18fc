"""Nobody sees what isn't theirs: claims, receipts and purchases answer 404 to others."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from maille.expenses.services import purchase_create
from maille.expenses.tests.helpers import TODAY, claim, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def camilles(camille, camille_activity):
    c = claim(camille, camille_activity)
    p = purchase_create(
        acting_user=camille.user,
        activity=camille_activity,
        invoice_number="F1",
        date=dt.date(2026, 3, 2),
        supplier="Imprimerie",
        category="materials",
        amount="50.00",
        document=io.BytesIO(pdf()),
        today=TODAY,
    )
    return c, p


def test_the_owner_and_staff_see_the_claim_and_receipt(camilles, as_camille, as_sylvie, as_anne):
    c, p = camilles
    for client in (as_camille, as_sylvie, as_anne):
        assert client.get(f"/depenses/{c.pk}/").status_code == 200
        receipt = client.get(f"/depenses/justificatifs/{c.receipt_id}/")
        assert receipt.status_code == 200
        assert receipt["Content-Type"] == "image/png"
        assert client.get(f"/depenses/achats/{p.pk}/").status_code == 200


def test_others_get_404(camilles, as_jerome, as_nathalie):
    c, p = camilles
    for client in (as_jerome, as_nathalie):
        assert client.get(f"/depenses/{c.pk}/").status_code == 404
        assert client.get(f"/depenses/justificatifs/{c.receipt_id}/").status_code == 404
        assert client.get(f"/depenses/justificatifs/{p.receipt_id}/").status_code == 404
        assert client.get(f"/depenses/achats/{p.pk}/").status_code == 404
        assert client.get(f"/api/v1/expenses/{c.pk}").status_code == 404


def test_members_cannot_reach_staff_pages(camilles, as_camille):
    c, p = camilles
    assert as_camille.get("/depenses/a-approuver/").status_code == 404
    assert as_camille.get("/depenses/export/").status_code == 404
    assert as_camille.post(f"/depenses/{c.pk}/approuver/").status_code == 404
    assert as_camille.post(f"/depenses/achats/{p.pk}/payer/").status_code == 404
    c.refresh_from_db()
    assert c.status == "submitted"


def test_anonymous_is_sent_to_login(camilles, client):
    c, _p = camilles
    response = client.get(f"/depenses/justificatifs/{c.receipt_id}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
