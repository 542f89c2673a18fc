"""The payments and bank API: staff write; members and clients see only theirs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from maille.api.services import api_token_create
from maille.payments import services
from maille.payments.models import BankLine, Payment
from maille.payments.services import AllocationSpec

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "statements"


def headers(user):
    _row, token = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_staff_record_and_reverse_a_payment(
    client, sylvie, operating, issue, camille_activity, client_qc
):
    invoice = issue(camille_activity, client_qc)
    h = headers(sylvie)
    response = client.post(
        "/api/v1/payments",
        {
            "client_id": client_qc.pk,
            "date": "2026-06-10",
            "amount": "1200.00",
            "method": "cheque",
            "allocations": [{"invoice_id": invoice.pk, "amount": "1149.75"}],
        },
        content_type="application/json",
        **h,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == "1200.00" and body["allocations"][0]["amount"] == "1149.75"
    assert client.get(f"/api/v1/invoices/{invoice.pk}", **h).json()["status"] == "paid"
    reversed_ = client.post(
        f"/api/v1/payments/{body['id']}/reverse",
        {"date": "2026-06-12", "reason": "NSF"},
        content_type="application/json",
        **h,
    )
    assert reversed_.status_code == 200 and reversed_.json()["reversed_on"] == "2026-06-12"
    assert client.get(f"/api/v1/invoices/{invoice.pk}", **h).json()["status"] == "issued"


@pytest.mark.parametrize(
    ("amount", "allocated"), [("-5.00", None), ("1.005", None), ("2000.00", "2000.00")]
)
def test_bad_payments_are_refused_with_a_message(
    client, sylvie, operating, issue, camille_activity, client_qc, amount, allocated
):
    invoice = issue(camille_activity, client_qc)
    payload = {
        "client_id": client_qc.pk,
        "date": "2026-06-10",
        "amount": amount,
        "method": "cheque",
    }
    if allocated:
        payload["allocations"] = [{"invoice_id": invoice.pk, "amount": allocated}]
    response = client.post(
        "/api/v1/payments", payload, content_type="application/json", **headers(sylvie)
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["message"]
    assert not Payment.objects.exists()


def test_another_clients_invoice_is_refused(
    client, sylvie, operating, issue, camille_activity, client_qc
):
    from maille.tests_support import factories

    other = factories.ClientFactory(legal_name="Autre inc.", province="QC")
    invoice = issue(camille_activity, other)
    response = client.post(
        "/api/v1/payments",
        {
            "client_id": client_qc.pk,
            "date": "2026-06-10",
            "amount": "10.00",
            "method": "cheque",
            "allocations": [{"invoice_id": invoice.pk, "amount": "10.00"}],
        },
        content_type="application/json",
        **headers(sylvie),
    )
    assert response.status_code == 422


def test_members_see_only_payments_on_their_invoices(
    client, camille, jerome, sylvie, nathalie, operating, issue, camille_activity, client_qc
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
    mine = client.get("/api/v1/payments", **headers(camille.user)).json()
    assert [p["id"] for p in mine["items"]] == [payment.pk]
    assert mine["items"][0]["amount"] is None  # not the whole payment, only their share
    assert client.get("/api/v1/payments", **headers(jerome.user)).json()["items"] == []
    assert client.get(f"/api/v1/payments/{payment.pk}", **headers(jerome.user)).status_code == 404
    assert client.get(f"/api/v1/payments/{payment.pk}", **headers(nathalie)).status_code == 200
    for user in (camille.user, nathalie):
        assert client.get("/api/v1/bank-lines", **headers(user)).status_code in (403, 404)
        assert client.post(
            "/api/v1/payments",
            {"date": "2026-06-10", "amount": "1.00", "method": "cash"},
            content_type="application/json",
            **headers(user),
        ).status_code in (403, 404)


def test_upload_list_match_and_the_second_confirmation_is_409(
    client, sylvie, anne, operating, issue, camille_activity, client_qc
):
    issue(camille_activity, client_qc)
    h = headers(sylvie)
    with (FILES / "desjardins_2026_06.csv").open("rb") as f:
        response = client.post("/api/v1/bank-imports", {"file": f, "account": "1000"}, **h)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["lines"] == body["new"] + body["duplicates"] == 5
    with (FILES / "desjardins_2026_06.csv").open("rb") as f:
        again = client.post("/api/v1/bank-imports", {"file": f, "account": "1000"}, **h).json()
    assert again["new"] == 0
    suggested = client.get("/api/v1/bank-lines?status=suggested", **h).json()["items"]
    fee = next(line for line in suggested if line["proposal"] == {"other": "fees"})
    payload = {"version": fee["version"], "action": "confirm"}
    first = client.post(
        f"/api/v1/bank-lines/{fee['id']}/match", payload, content_type="application/json", **h
    )
    assert first.status_code == 200 and first.json()["status"] == "other"
    second = client.post(
        f"/api/v1/bank-lines/{fee['id']}/match",
        payload,
        content_type="application/json",
        **headers(anne),
    )
    assert second.status_code == 409 and second.json()["detail"][0]["message"]
    line = BankLine.objects.get(pk=fee["id"])
    undone = client.post(
        f"/api/v1/bank-lines/{fee['id']}/unmatch",
        {"version": line.version},
        content_type="application/json",
        **h,
    )
    assert undone.status_code == 200 and undone.json()["status"] == "unmatched"


def test_a_bad_file_is_a_422_naming_the_line(client, sylvie, operating, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes((FILES / "desjardins_2026_06.csv").read_bytes().replace(b"229.95", b"229.955"))
    with bad.open("rb") as f:
        response = client.post("/api/v1/bank-imports", {"file": f}, **headers(sylvie))
    assert response.status_code == 422
    assert "2" in response.json()["detail"][0]["message"], response.json()
    assert not BankLine.objects.exists()
