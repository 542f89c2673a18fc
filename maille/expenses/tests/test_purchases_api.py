"""``POST /api/v1/purchases`` (multipart, the supplier's invoice checked like a receipt),
list, detail, approve (the member who owns the activity and staff), refuse, pay —
each scoped, and what each refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from maille.expenses.models import Purchase, PurchaseStatus, Receipt
from maille.expenses.tests.helpers import GST_NUMBER, QST_NUMBER, pdf, png
from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.members.models import Activity
from maille.payroll.tests.helpers import fund

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchases"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)):
        yield


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "receipts"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _form(activity, **changes):
    data = {
        "activity_id": activity.pk,
        "invoice_number": "IMP-2026-118",
        "date": "2026-03-10",
        "due_date": "2026-04-09",
        "supplier": "Imprimerie Laval",
        "category": "subcontracting",
        "amount": "1149.75",
        "gst_hst": "50.00",
        "qst": "99.75",
        "supplier_gst_number": GST_NUMBER,
        "supplier_qst_number": QST_NUMBER,
        "supplier_bank_account": "815-30001-7777777",
        "description": "200 affiches",
        "document": SimpleUploadedFile("facture.pdf", pdf(), content_type="application/pdf"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _json(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_member_enters_a_supplier_invoice_for_their_activity(as_camille, camille_activity):
    response = as_camille.post(URL, _form(camille_activity))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == PurchaseStatus.SUBMITTED
    assert (body["amount"], body["itc"], body["itr"], body["net_cost"]) == (
        "1149.75",
        "50.00",
        "99.75",
        "1000.00",
    )
    # Entered by the member who owns the activity: their approval is given.
    assert body["member_approved"] is True and body["staff_approved"] is False
    assert body["supplier_bank_account"] == "•••••••••••7777"
    assert as_camille.get(body["document_url"]).status_code == 200
    assert as_camille.get(f"{URL}/{body['id']}").json()["invoice_number"] == "IMP-2026-118"


def test_staff_enter_one_for_the_coop(as_sylvie):
    coop = Activity.objects.get(code="COOP")
    response = as_sylvie.post(
        URL,
        _form(coop, supplier="Hydro-Québec", amount="80.00", gst_hst="3.48", qst="6.94"),
    )
    assert response.status_code == 201, response.content
    assert response.json()["member_approved"] is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"document": None}, "document"),
        ({"document": SimpleUploadedFile("f.pdf", b"%PDF-1.4 no pages")}, "document"),
        ({"document": SimpleUploadedFile("f.jpg", b"<html>not a photo</html>")}, "document"),
        ({"date": "2026-04-01"}, "date"),
        ({"due_date": "2026-03-01"}, "due_date"),
        ({"gst_hst": "500.00"}, "gst_hst"),
        ({"invoice_number": ""}, "invoice_number"),
        ({"supplier_bank_account": "12-34"}, "supplier_bank_account"),
        ({"amount": "-3"}, "amount"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_is_kept(
    as_camille, camille_activity, changes, field
):
    response = as_camille.post(URL, _form(camille_activity, **changes))
    assert response.status_code == 422, response.content
    assert field in [d["field"] for d in response.json()["detail"]]
    assert not Purchase.objects.exists() and not Receipt.objects.exists()
    assert _stored_files() == []


def test_the_same_supplier_invoice_twice_is_refused(as_camille, camille_activity):
    assert as_camille.post(URL, _form(camille_activity)).status_code == 201
    again = as_camille.post(URL, _form(camille_activity, supplier="IMPRIMERIE LAVAL"))
    assert again.status_code == 422
    assert again.json()["detail"][0]["field"] == "invoice_number"
    assert len(_stored_files()) == 1


def test_an_invoice_on_another_members_activity_is_refused(as_camille, jerome_activity):
    response = as_camille.post(URL, _form(jerome_activity))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "activity_id"
    assert not Purchase.objects.exists()
    assert _stored_files() == []


def test_a_client_contact_may_not_enter_one(as_nathalie, camille_activity):
    # The API answers a client's portal login 404 outside the client's own documents.
    assert as_nathalie.post(URL, _form(camille_activity)).status_code == 404
    assert not Purchase.objects.exists()


def test_lists_and_details_are_scoped(as_camille, as_jerome, as_sylvie, camille_activity):
    pk = as_camille.post(URL, _form(camille_activity)).json()["id"]
    assert as_camille.get(URL).json()["count"] == 1
    assert as_jerome.get(URL).json()["count"] == 0
    assert as_sylvie.get(URL).json()["count"] == 1
    assert as_jerome.get(f"{URL}/{pk}").status_code == 404
    assert (
        as_jerome.post(f"{URL}/{pk}/approve", {}, content_type="application/json").status_code
        == 404
    )
    assert _json(as_jerome, f"{URL}/{pk}/refuse", {"reason": "non"}).status_code == 404


def test_member_then_staff_approve_then_staff_pay(as_camille, as_sylvie, camille_activity):
    fund(camille_activity, "2000.00")
    pk = as_camille.post(URL, _form(camille_activity, supplier_bank_account="")).json()["id"]
    # The member approved by entering it: a second approval of theirs is a conflict.
    assert _json(as_camille, f"{URL}/{pk}/approve", {}).status_code == 409
    # Paying before staff approve: a conflict, nothing posted.
    assert _json(as_sylvie, f"{URL}/{pk}/pay", {"paid_on": "2026-03-16"}).status_code == 409
    approved = _json(as_sylvie, f"{URL}/{pk}/approve", {})
    assert approved.status_code == 200 and approved.json()["status"] == PurchaseStatus.APPROVED
    assert _json(as_sylvie, f"{URL}/{pk}/approve", {}).status_code == 409
    # Only staff pay; a date before the invoice is named.
    assert _json(as_camille, f"{URL}/{pk}/pay", {"paid_on": "2026-03-16"}).status_code == 403
    early = _json(as_sylvie, f"{URL}/{pk}/pay", {"paid_on": "2026-03-01"})
    assert early.status_code == 422 and early.json()["detail"][0]["field"] == "paid_on"
    paid = _json(as_sylvie, f"{URL}/{pk}/pay", {"paid_on": "2026-03-16", "reference": "Vir. 12"})
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == PurchaseStatus.PAID
    assert paid.json()["payment_reference"] == "Vir. 12"
    again = _json(as_sylvie, f"{URL}/{pk}/pay", {"paid_on": "2026-03-16"})
    assert again.status_code == 409
    payable = JournalLine.objects.filter(account__code=accounts.SUPPLIERS_PAYABLE)
    assert sum((line.amount for line in payable), Decimal("0")) == Decimal("0")


def test_refused_with_a_reason_by_the_member_or_staff(as_camille, as_sylvie, camille_activity):
    pk = as_camille.post(URL, _form(camille_activity)).json()["id"]
    assert _json(as_camille, f"{URL}/{pk}/refuse", {"reason": ""}).status_code == 422
    refused = _json(as_camille, f"{URL}/{pk}/refuse", {"reason": "Doublon"})
    assert refused.status_code == 200
    assert (refused.json()["status"], refused.json()["refused_reason"]) == ("refused", "Doublon")
    assert _json(as_sylvie, f"{URL}/{pk}/approve", {}).status_code == 409
    assert _json(as_sylvie, f"{URL}/{pk}/refuse", {"reason": "Encore"}).status_code == 409
    # A refused invoice may be entered again (a corrected one).
    assert as_camille.post(URL, _form(camille_activity)).status_code == 201


def test_a_photo_of_the_invoice_is_fine(as_camille, camille_activity):
    response = as_camille.post(
        URL,
        _form(camille_activity, document=SimpleUploadedFile("IMG_1.jpg", png(), "image/jpeg")),
    )
    assert response.status_code == 201
    assert Receipt.objects.get().content_type == "image/png"  # the content decides


def test_the_openapi_document_names_the_refusals(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    writes = [
        ("/api/v1/purchases", "post"),
        ("/api/v1/purchases/{purchase_id}/approve", "post"),
        ("/api/v1/purchases/{purchase_id}/refuse", "post"),
        ("/api/v1/purchases/{purchase_id}/pay", "post"),
        ("/api/v1/expenses", "post"),
        ("/api/v1/expenses/mileage", "post"),
        ("/api/v1/expenses/{expense_id}/approve", "post"),
        ("/api/v1/expenses/{expense_id}/return", "post"),
    ]
    for path, method in writes:
        responses = paths[path][method]["responses"]
        assert {"409", "422"} <= set(responses), path
    create = paths["/api/v1/purchases"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in create
    fields = create["multipart/form-data"]["schema"]
    assert "document" in str(fields)
