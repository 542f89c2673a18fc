"""Issue 10, bug 10: the demo showed an invoice "Paid", balance 0,00 $, while the
receivables in the ledger still carried its amount and no bank entry existed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum

from maille.core.models import Role, User
from maille.demo import clients as clients_demo
from maille.demo import invoicing as demo
from maille.demo import members as members_demo
from maille.invoicing.models import Invoice, InvoiceStatus
from maille.invoicing.selectors import balance_due
from maille.ledger import accounts
from maille.ledger.models import JournalLine

pytestmark = pytest.mark.django_db


def _receivable(invoice: Invoice) -> Decimal:
    """What the ledger says the client still owes for this invoice."""
    kind = ContentType.objects.get_for_model(Invoice)
    total = JournalLine.objects.filter(
        account__code=accounts.AR, entry__source_type=kind, entry__source_id=invoice.pk
    ).aggregate(s=Sum("amount"))["s"]
    return total or Decimal("0")


def test_no_demo_invoice_is_shown_paid_while_the_ledger_says_it_is_owed():
    staff = User.objects.create_user("conseil@maille.coop", "x", role=Role.STAFF)
    members_demo.load_small(staff)
    clients_demo.load_small(staff)
    demo.load_small(staff)
    issued = Invoice.objects.filter(kind="invoice").exclude(status=InvoiceStatus.DRAFT)
    assert issued.exists()
    for invoice in issued:
        shown_due = balance_due(invoice)
        if invoice.status == InvoiceStatus.PAID or shown_due == 0:
            assert _receivable(invoice) == shown_due, invoice
