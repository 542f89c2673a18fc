"""The demo co-op's expenses: claims in every state, a mileage log, supplier invoices,
reimbursements in the pay run's bank file with the expense transaction code (452)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from maille.expenses.models import ClaimKind, ClaimStatus, ExpenseClaim, Purchase, PurchaseStatus
from maille.ledger.selectors import ledger_problems
from maille.payroll.models import BankFile

pytestmark = pytest.mark.django_db


def test_the_demo_has_expenses_in_every_state(capsys):
    call_command("demo")
    statuses = set(ExpenseClaim.objects.values_list("status", flat=True))
    assert {
        ClaimStatus.SUBMITTED,
        ClaimStatus.APPROVED,
        ClaimStatus.PAID,
        ClaimStatus.RETURNED,
    } <= statuses
    assert ExpenseClaim.objects.filter(kind=ClaimKind.MILEAGE).count() >= 2
    assert {PurchaseStatus.PAID, PurchaseStatus.SUBMITTED} <= set(
        Purchase.objects.values_list("status", flat=True)
    )
    paid = ExpenseClaim.objects.filter(status=ClaimStatus.PAID)
    bank_file = BankFile.objects.get()
    assert set(paid.values_list("bank_file", flat=True)) == {bank_file.pk}
    segments = [
        record[24 + i * 240 : 24 + (i + 1) * 240]
        for record in bank_file.content.split("\r\n")
        if record.startswith("C")
        for i in range(6)
    ]
    assert sum(1 for s in segments if s[:3] == "452") == paid.count()
    # A supplier invoice paid by the same file (accounts payable), one paid by hand.
    by_file = Purchase.objects.get(bank_file=bank_file)
    assert by_file.status == PurchaseStatus.PAID
    assert [s[3:13] for s in segments if s[:3] == "460"] == [f"{by_file.amount * 100:010.0f}"]
    assert Purchase.objects.filter(status=PurchaseStatus.PAID, bank_file__isnull=True).exists()
    assert ledger_problems() == []
