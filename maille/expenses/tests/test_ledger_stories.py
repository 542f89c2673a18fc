"""Worked stories: a claim approved and reimbursed in a pay run's bank file; a
supplier invoice approved by the member and staff, then paid — every balance checked."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from maille.expenses.exceptions import ClaimConflict
from maille.expenses.models import ClaimStatus, PurchaseStatus
from maille.expenses.services import (
    expense_claim_approve,
    expense_claims_approve_many,
    purchase_approve,
    purchase_create,
    purchase_pay,
)
from maille.expenses.tests.helpers import GST_NUMBER, QST_NUMBER, TODAY, claim, pdf
from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.ledger.selectors import ledger_problems
from maille.members.models import Activity
from maille.payroll import services as payroll
from maille.payroll.bankfile import bank_file_create, bank_file_mark_sent
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")


def _sum(code, activity=None):
    lines = JournalLine.objects.filter(account__code=code)
    if activity is not None:
        lines = lines.filter(activity=activity)
    return sum((line.amount for line in lines), ZERO)


def _posted_run(staff, pay_date):
    run = payroll.payrun_prepare(pay_date=pay_date, acting_user=staff)
    payroll.payrun_approve(run=run, acting_user=staff)
    return payroll.payrun_post(run=run, acting_user=staff)


def test_a_claim_approved_then_reimbursed_in_the_bank_file(camille, camille_activity, sylvie):
    calendar()
    fund(camille_activity, "1000.00")
    c = claim(camille, camille_activity)
    meal = claim(camille, camille_activity, category="meals", supplier="Bistro")
    expense_claims_approve_many(claims=[c, meal], acting_user=sylvie)
    # Net cost on the activity, credits at the co-op, the whole amount owed to the member.
    assert _sum(accounts.ACTIVITY_EXPENSES, camille_activity) == Decimal("100.00") + Decimal(
        "107.49"
    )
    assert _sum(accounts.ITC_RECEIVABLE) == Decimal("5.00") + Decimal("2.50")
    assert _sum(accounts.ITR_RECEIVABLE) == Decimal("9.98") + Decimal("4.99")
    assert _sum(accounts.REIMBURSEMENTS_PAYABLE, camille_activity) == Decimal("-229.96")
    # The next pay run's bank file carries the reimbursements, code 452 (expense
    # payment), not 200 (salary).
    run = _posted_run(sylvie, dt.date(2026, 3, 19))
    bank_file = bank_file_create(run=run, acting_user=sylvie)
    segments = [
        record[24 + i * 240 : 24 + (i + 1) * 240]
        for record in bank_file.content.split("\r\n")
        if record.startswith("C")
        for i in range(6)
    ]
    codes = [(s[:3], s[3:13]) for s in segments if s.strip()]
    assert ("452", "0000011498") in codes
    assert sum(1 for code, _amount in codes if code == "452") == 2
    c.refresh_from_db()
    assert c.status == ClaimStatus.IN_BANK_FILE and c.bank_file == bank_file
    bank_file_mark_sent(bank_file=bank_file, acting_user=sylvie)
    c.refresh_from_db()
    assert c.status == ClaimStatus.PAID
    assert c.paid_on == max(run.pay_date, bank_file.created_on)
    assert _sum(accounts.REIMBURSEMENTS_PAYABLE) == ZERO
    assert ledger_problems() == []


def test_approving_twice_gives_one_entry(camille, camille_activity, sylvie, anne):
    fund(camille_activity, "1000.00")
    c = claim(camille, camille_activity)
    expense_claim_approve(claim=c, acting_user=sylvie)
    with pytest.raises(ClaimConflict):
        expense_claim_approve(claim=c, acting_user=anne)
    assert _sum(accounts.REIMBURSEMENTS_PAYABLE) == Decimal("-114.98")


def test_a_supplier_invoice_approved_by_member_and_staff_then_paid(
    camille, camille_activity, sylvie
):
    fund(camille_activity, "2000.00")
    p = purchase_create(
        acting_user=camille.user,
        activity=camille_activity,
        invoice_number="F-2026-118",
        date=dt.date(2026, 3, 2),
        supplier="Imprimerie Laval",
        category="subcontracting",
        amount="1149.75",
        gst_hst="50.00",
        qst="99.75",
        supplier_gst_number=GST_NUMBER,
        supplier_qst_number=QST_NUMBER,
        document=io.BytesIO(pdf()),
        document_name="facture.pdf",
        today=TODAY,
    )
    assert p.member_approved_at is not None and p.status == PurchaseStatus.SUBMITTED
    assert _sum(accounts.SUPPLIERS_PAYABLE) == ZERO
    purchase_approve(purchase=p, acting_user=sylvie)
    p.refresh_from_db()
    assert p.status == PurchaseStatus.APPROVED
    coop = Activity.objects.get(code="COOP")
    assert _sum(accounts.ACTIVITY_EXPENSES, camille_activity) == Decimal("1000.00")
    assert _sum(accounts.SUPPLIERS_PAYABLE, coop) == Decimal("-1149.75")
    assert _sum(accounts.ITC_RECEIVABLE, coop) == Decimal("50.00")
    assert _sum(accounts.ITR_RECEIVABLE, coop) == Decimal("99.75")
    purchase_pay(purchase=p, acting_user=sylvie, paid_on=dt.date(2026, 3, 16))
    assert _sum(accounts.SUPPLIERS_PAYABLE) == ZERO
    assert _sum(accounts.BANK, coop) == Decimal("-1149.75")
    with pytest.raises(ClaimConflict):
        purchase_pay(purchase=p, acting_user=sylvie, paid_on=dt.date(2026, 3, 16))
    assert ledger_problems() == []


def test_a_coop_purchase_needs_staff_only(sylvie):
    coop = Activity.objects.get(code="COOP")
    p = purchase_create(
        acting_user=sylvie,
        activity=coop,
        invoice_number="2026-77",
        date=dt.date(2026, 3, 2),
        supplier="Hydro-Québec",
        category="other",
        amount="80.00",
        gst_hst="3.48",
        qst="6.94",
        document=io.BytesIO(pdf()),
        today=TODAY,
    )
    purchase_approve(purchase=p, acting_user=sylvie)
    p.refresh_from_db()
    assert p.status == PurchaseStatus.APPROVED
    assert _sum(accounts.SUPPLIERS_PAYABLE, coop) == Decimal("-80.00")


def test_another_member_cannot_approve_a_purchase(camille, camille_activity, jerome, sylvie):
    p = purchase_create(
        acting_user=sylvie,
        activity=camille_activity,
        invoice_number="X1",
        date=dt.date(2026, 3, 2),
        supplier="Fournisseur",
        category="materials",
        amount="20.00",
        document=io.BytesIO(pdf()),
        today=TODAY,
    )
    assert p.member_approved_at is None
    with pytest.raises(PermissionError):
        purchase_approve(purchase=p, acting_user=jerome.user)
    purchase_approve(purchase=p, acting_user=sylvie)
    p.refresh_from_db()
    assert p.status == PurchaseStatus.SUBMITTED  # still waiting for Camille
