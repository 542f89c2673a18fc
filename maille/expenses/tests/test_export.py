"""The accountant's export of a period: one CSV (claims and supplier invoices, amounts
with two decimals) and each receipt file, in a zip. Staff only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
import time_machine

from maille.expenses.retention import receipts_purge
from maille.expenses.services import expense_claim_return, mileage_claim_create, purchase_create
from maille.expenses.tests.helpers import TODAY, claim, pdf, png

pytestmark = pytest.mark.django_db
URL = "/depenses/export/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)):
        yield


@pytest.fixture
def period(camille, camille_activity, jerome, jerome_activity, sylvie):
    """March 2026: two receipts (one of them returned), a trip, a supplier invoice;
    and a claim of February, outside the period."""
    paper = claim(camille, camille_activity, receipt=png())
    lunch = claim(
        jerome,
        jerome_activity,
        receipt=pdf(),
        category="meals",
        supplier="Bistro",
        amount="57.49",
        gst_hst="2.50",
        qst="4.99",
    )
    returned = claim(camille, camille_activity, supplier="Doublon")
    expense_claim_return(claim=returned, acting_user=sylvie, reason="Doublon")
    claim(camille, camille_activity, date=dt.date(2026, 2, 27), supplier="Février")
    trip = mileage_claim_create(
        acting_user=camille.user,
        activity=camille_activity,
        date=dt.date(2026, 3, 5),
        km="100",
        origin="Montréal",
        destination="Québec",
        purpose="Atelier",
        today=TODAY,
    )
    invoice = purchase_create(
        acting_user=camille.user,
        activity=camille_activity,
        invoice_number="IMP-7",
        date=dt.date(2026, 3, 2),
        supplier="Imprimerie Laval",
        category="subcontracting",
        amount="229.95",
        gst_hst="10.00",
        qst="19.95",
        document=io.BytesIO(pdf()),
        today=TODAY,
    )
    return paper, lunch, trip, invoice


def _open(response) -> tuple[list[dict[str, str]], zipfile.ZipFile]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "depenses-2026-03-01-2026-03-31.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    text = archive.read("expenses.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text))), archive


def test_the_period_in_a_zip_with_its_receipts(period, as_sylvie):
    paper, lunch, trip, invoice = period
    rows, archive = _open(as_sylvie.get(URL, {"start": "2026-03-01", "end": "2026-03-31"}))
    # The returned claim and February's are not in it.
    assert sorted((r["kind"], r["supplier"]) for r in rows) == [
        ("claim", "Bistro"),
        ("claim", "Kilométrage"),
        ("claim", "Papeterie Saint-Denis"),
        ("purchase", "Imprimerie Laval"),
    ]
    by_id = {(r["kind"], int(r["id"])): r for r in rows}
    row = by_id[("claim", paper.pk)]
    assert (row["amount"], row["gst_hst"], row["qst"], row["itc"], row["itr"], row["net_cost"]) == (
        "114.98",
        "5.00",
        "9.98",
        "5.00",
        "9.98",
        "100.00",
    )
    assert row["member"] == paper.member.number and row["activity"] == paper.activity.code
    meal = by_id[("claim", lunch.pk)]
    assert (meal["itc"], meal["itr"], meal["net_cost"]) == ("1.25", "2.50", "53.74")
    mileage = by_id[("claim", trip.pk)]
    assert (mileage["km"], mileage["amount"], mileage["receipt"]) == ("100.0", "73.00", "")
    bought = by_id[("purchase", invoice.pk)]
    assert (bought["invoice_number"], bought["amount"]) == ("IMP-7", "229.95")
    total = sum(Decimal(r["amount"]) for r in rows)
    assert total == Decimal("114.98") + Decimal("57.49") + Decimal("73.00") + Decimal("229.95")
    # Each receipt is in the zip, byte for byte, under the name the CSV gives.
    names = sorted(n for n in archive.namelist() if n != "expenses.csv")
    assert names == sorted(r["receipt"] for r in rows if r["receipt"])
    assert len(names) == 3
    for claim_or_invoice, kind in ((paper, "claim"), (lunch, "claim"), (invoice, "purchase")):
        stored = claim_or_invoice.receipt
        name = by_id[(kind, claim_or_invoice.pk)]["receipt"]
        with stored.file.open("rb") as source:
            assert archive.read(name) == source.read()
    assert archive.read(by_id[("claim", lunch.pk)]["receipt"]).startswith(b"%PDF-")


def test_a_receipt_deleted_at_the_end_of_its_retention_is_left_out(
    camille, camille_activity, sylvie, as_sylvie
):
    old = claim(camille, camille_activity)
    expense_claim_return(claim=old, acting_user=sylvie, reason="Doublon")
    receipts_purge(on=dt.date(2033, 1, 1))
    # A returned claim is not exported; the purged one must not break the zip either.
    rows, archive = _open(as_sylvie.get(URL, {"start": "2026-03-01", "end": "2026-03-31"}))
    assert rows == [] and archive.namelist() == ["expenses.csv"]


def test_members_cannot_export(period, as_camille, as_nathalie, client):
    query = {"start": "2026-03-01", "end": "2026-03-31"}
    assert as_camille.get(URL, query).status_code == 404
    assert as_nathalie.get(URL, query).status_code == 404
    anonymous = client.get(URL, query)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_an_end_before_the_start_is_named(as_sylvie):
    response = as_sylvie.get(URL, {"start": "2026-03-31", "end": "2026-03-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
