"""``POST /api/v1/expenses`` (multipart), list, approve, return — and what each refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from maille.expenses.models import ClaimStatus, ExpenseClaim
from maille.expenses.tests.helpers import GST_NUMBER, QST_NUMBER, claim, png
from maille.payroll.tests.helpers import fund

pytestmark = pytest.mark.django_db
URL = "/api/v1/expenses"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)):
        yield


def _form(activity, **changes):
    data = {
        "activity_id": activity.pk,
        "date": "2026-03-10",
        "supplier": "Bureau en Gros",
        "category": "materials",
        "amount": "114.98",
        "gst_hst": "5.00",
        "qst": "9.98",
        "supplier_gst_number": GST_NUMBER,
        "supplier_qst_number": QST_NUMBER,
        "description": "Cartouches",
        "receipt": SimpleUploadedFile("recu.jpg", png(), content_type="image/jpeg"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_member_claims_with_a_receipt(as_camille, camille_activity):
    response = as_camille.post(URL, _form(camille_activity))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["amount"] == "114.98" and body["itc"] == "5.00" and body["itr"] == "9.98"
    assert body["net_cost"] == "100.00"
    assert as_camille.get(body["receipt_url"]).status_code == 200


def test_taxes_left_out_are_proposed(as_camille, camille_activity):
    response = as_camille.post(URL, _form(camille_activity, gst_hst=None, qst=None))
    assert response.status_code == 201
    assert (response.json()["gst_hst"], response.json()["qst"]) == ("5.00", "9.98")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"receipt": None}, "receipt"),
        ({"receipt": SimpleUploadedFile("r.pdf", b"not a pdf")}, "receipt"),
        ({"date": "2026-04-01"}, "date"),
        ({"gst_hst": "50.00"}, "gst_hst"),
        ({"amount": "12,345.678"}, "amount"),
        ({"category": "boat"}, "category"),
        ({"supplier_qst_number": "12"}, "supplier_qst_number"),
        ({"activity_id": "abc"}, "activity_id"),
    ],
)
def test_bad_input_is_422_naming_the_field(as_camille, camille_activity, changes, field):
    response = as_camille.post(URL, _form(camille_activity, **changes))
    assert response.status_code == 422, response.content
    assert field in [d["field"] for d in response.json()["detail"]]
    assert not ExpenseClaim.objects.exists()


def test_a_claim_on_another_members_activity_is_refused(as_camille, jerome_activity):
    response = as_camille.post(URL, _form(jerome_activity))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "activity_id"
    assert not ExpenseClaim.objects.exists()


def test_lists_are_scoped(as_camille, as_jerome, as_sylvie, camille, camille_activity):
    claim(camille, camille_activity, today=dt.date(2026, 3, 20))
    assert as_camille.get(URL).json()["count"] == 1
    assert as_jerome.get(URL).json()["count"] == 0
    assert as_sylvie.get(URL).json()["count"] == 1


def test_staff_approve_and_return_members_cannot(
    as_camille, as_jerome, as_sylvie, camille, camille_activity
):
    fund(camille_activity, "1000.00")
    first = claim(camille, camille_activity, today=dt.date(2026, 3, 20))
    second = claim(camille, camille_activity, today=dt.date(2026, 3, 20), supplier="Autre")
    approve = f"{URL}/{first.pk}/approve"
    assert as_camille.post(approve, {}, content_type="application/json").status_code == 403
    assert as_jerome.post(approve, {}, content_type="application/json").status_code == 404
    response = as_sylvie.post(approve, {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    again = as_sylvie.post(approve, {}, content_type="application/json")
    assert again.status_code == 409
    returned = as_sylvie.post(
        f"{URL}/{second.pk}/return", {"reason": ""}, content_type="application/json"
    )
    assert returned.status_code == 422
    returned = as_sylvie.post(
        f"{URL}/{second.pk}/return", {"reason": "Reçu flou"}, content_type="application/json"
    )
    assert returned.json()["status"] == ClaimStatus.RETURNED
    assert returned.json()["returned_reason"] == "Reçu flou"


def test_mileage_by_api(as_camille, camille_activity):
    body = {
        "activity_id": camille_activity.pk,
        "date": "2026-03-02",
        "km": "120.5",
        "origin": "Montréal",
        "destination": "Sherbrooke",
        "purpose": "Atelier client",
    }
    response = as_camille.post(f"{URL}/mileage", body, content_type="application/json")
    assert response.status_code == 201
    assert Decimal(response.json()["amount"]) == Decimal("87.97")  # 120.5 × 0.73 = 87.965
    body["purpose"] = ""
    response = as_camille.post(f"{URL}/mileage", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "purpose"
