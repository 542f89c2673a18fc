"""The demo data loads through the services and the generator writes consistent rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count

from maille.contracts.models import Quote
from maille.core.models import Role, User
from maille.demo import clients as clients_demo
from maille.demo import invoicing as demo
from maille.demo import members as members_demo
from maille.documents.models import Counter
from maille.invoicing.models import Invoice, InvoiceKind, InvoiceStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return User.objects.create_user("conseil@maille.coop", "x", role=Role.STAFF)


def test_the_small_demo_has_documents_in_every_state(staff):
    members_demo.load_small(staff)
    clients_demo.load_small(staff)
    demo.load_small(staff)
    statuses = set(Quote.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "sent", "accepted", "refused", "cancelled"} <= statuses
    # Nothing is shown as paid without a payment in the ledger (issue 10, finding 10).
    assert set(Invoice.objects.values_list("status", flat=True)) == {"draft", "issued"}
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()
    assert Invoice.objects.filter(buyer_activity__isnull=False).exists()
    assert Invoice.objects.filter(regime="export").exists()


def test_the_generator_numbers_without_gaps_and_keeps_totals(staff):
    members_demo.generate(count=20, seed=3)
    clients_demo.generate(count=30, seed=3)
    assert demo.generate(count=400, seed=3, post_ledger=True) == 400
    issued = Invoice.objects.exclude(status=InvoiceStatus.DRAFT).filter(kind="invoice")
    for year, last in Counter.objects.filter(series="F").values_list("year", "last"):
        sequences = sorted(issued.filter(year=year).values_list("sequence", flat=True))
        assert sequences == list(range(1, last + 1))
    for invoice in issued.annotate(n=Count("lines"))[:50]:
        assert invoice.total == invoice.subtotal + invoice.tax_total
        assert sum(t.amount for t in invoice.taxes.all()) == invoice.tax_total
        assert sum((line.amount for line in invoice.lines.all()), Decimal(0)) == invoice.subtotal
    from maille.ledger.selectors import balance

    assert balance() == Decimal("0")
