"""32 staff approving the same claim at once (PostgreSQL): one approval, one ledger
entry, one budget draw; the 31 others are told it is already approved (409), never
a 500. The same for the staff approval of a supplier invoice."""

from __future__ import annotations

import datetime as dt
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, connections

from maille.budgets.selectors import activity_budget
from maille.conftest import login
from maille.expenses import services
from maille.expenses.exceptions import ClaimConflict
from maille.expenses.models import ClaimStatus, PurchaseStatus
from maille.expenses.tests.helpers import GST_NUMBER, QST_NUMBER, TODAY, claim, pdf
from maille.ledger import accounts
from maille.ledger.models import JournalEntry, JournalLine
from maille.ledger.selectors import ledger_problems
from maille.payroll.tests.helpers import fund

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 32


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)):
        yield


def _in_thread(fn):
    def run(*args):
        try:
            return fn(*args)
        except Exception as exc:  # the test inspects what each thread got
            return exc
        finally:
            connections.close_all()

    return run


def test_32_staff_approving_one_claim_at_once_give_one_approval(
    camille, camille_activity, sylvie, anne
):
    fund(camille_activity, "1000.00")
    c = claim(camille, camille_activity)
    clients = [login(sylvie if n % 2 else anne) for n in range(THREADS)]
    start = threading.Barrier(THREADS)
    url = f"/api/v1/expenses/{c.pk}/approve"

    @_in_thread
    def approve(client):
        start.wait()
        return client.post(url, {}, content_type="application/json")

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        got = list(pool.map(approve, clients))
    statuses = sorted(getattr(g, "status_code", repr(g)) for g in got)
    assert statuses == [200] + [409] * (THREADS - 1), statuses
    for response in got:
        if response.status_code == 409:
            message = response.json()["detail"][0]["message"]
            assert message.startswith("Cette demande est déjà approuvée"), message
    c.refresh_from_db()
    assert c.status == ClaimStatus.APPROVED
    assert JournalEntry.objects.filter(idempotency_key__startswith="expenses:claim:").count() == 1
    payable = JournalLine.objects.filter(account__code=accounts.REIMBURSEMENTS_PAYABLE)
    assert sum(line.amount for line in payable) == Decimal("-114.98")
    # The cost was drawn once: 1 000 less the net cost of 100.
    assert activity_budget(camille_activity).available == Decimal("900.00")
    assert ledger_problems() == []


def test_32_staff_approving_one_supplier_invoice_at_once_post_it_once(
    camille, camille_activity, sylvie, anne
):
    fund(camille_activity, "2000.00")
    purchase = services.purchase_create(
        acting_user=camille.user,
        activity=camille_activity,
        invoice_number="F-118",
        date=dt.date(2026, 3, 2),
        supplier="Imprimerie Laval",
        category="subcontracting",
        amount="1149.75",
        gst_hst="50.00",
        qst="99.75",
        supplier_gst_number=GST_NUMBER,
        supplier_qst_number=QST_NUMBER,
        document=io.BytesIO(pdf()),
        today=TODAY,
    )
    start = threading.Barrier(THREADS)

    @_in_thread
    def approve(n):
        start.wait()
        return services.purchase_approve(purchase=purchase, acting_user=sylvie if n % 2 else anne)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        got = list(pool.map(approve, range(THREADS)))
    refused = [g for g in got if isinstance(g, ClaimConflict)]
    assert len(refused) == THREADS - 1, got
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.APPROVED
    keys = JournalEntry.objects.filter(idempotency_key__startswith="expenses:purchase:")
    assert keys.count() == 1
    assert ledger_problems() == []
