"""The payments demo: paid, partly paid and overpaid invoices, all in the ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maille.core.models import Role, User
from maille.demo import clients as clients_demo
from maille.demo import invoicing as invoicing_demo
from maille.demo import members as members_demo
from maille.demo import payments as demo
from maille.invoicing.models import Invoice
from maille.ledger import accounts
from maille.ledger.selectors import balance
from maille.payments import selectors
from maille.payments.models import Allocation, BankLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return User.objects.create_user("conseil@maille.coop", "x", role=Role.STAFF)


def test_the_small_demo_pays_through_the_services(staff):
    members_demo.load_small(staff)
    clients_demo.load_small(staff)
    invoicing_demo.load_small(staff)
    demo.load_small(staff)
    statuses = set(Invoice.objects.values_list("status", flat=True))
    assert {"draft", "issued", "partially_paid", "paid"} <= statuses
    # What shows as paid is paid in the ledger: allocations equal the bank's receipts on AR.
    allocated = sum(Allocation.objects.values_list("amount", flat=True), Decimal(0))
    paid = sum(Invoice.objects.values_list("amount_paid", flat=True), Decimal(0))
    assert allocated == paid > 0
    credits = -balance(account=accounts.CLIENT_CREDITS)
    assert credits > 0
    assert sum((c for p, c in selectors.payments_with_credit()), Decimal(0)) == credits
    assert balance() == Decimal(0)
    statuses = set(BankLine.objects.values_list("status", flat=True))
    assert {"matched", "suggested", "unmatched"} <= statuses
    # The deposits recorded by hand were recognised, not received twice.
    assert BankLine.objects.filter(match_kind="expected").count() == 3
