"""The coworking demo: a site, bookings across the week, a guest invoiced, a pass, a loan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maille.core.models import Role, User
from maille.coworking.models import Booking, Loan, Pass, Resource, ResourceKind
from maille.demo import clients as clients_demo
from maille.demo import coworking as demo
from maille.demo import invoicing as invoicing_demo
from maille.demo import members as members_demo
from maille.demo import payments as payments_demo
from maille.ledger import accounts
from maille.ledger.models import JournalLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return User.objects.create_user("conseil@maille.coop", "x", role=Role.STAFF)


def test_the_small_demo_books_through_the_services(staff):
    members_demo.load_small(staff)
    clients_demo.load_small(staff)
    invoicing_demo.load_small(staff)
    payments_demo.load_small(staff)
    demo.load_small(staff)
    kinds = set(Resource.objects.values_list("kind", flat=True))
    assert kinds == {ResourceKind.DESK, ResourceKind.ROOM, ResourceKind.EQUIPMENT}
    members = Booking.objects.filter(activity__isnull=False)
    assert members.count() >= 10
    assert len({b.start.date() for b in members}) >= 5  # across the week
    invoiced = Booking.objects.get(invoice__isnull=False, status="active")
    assert invoiced.invoice.tax_total > 0  # the guest pays GST and QST
    assert invoiced.invoice.revenue_account == accounts.SPACE_INCOME
    # The guest who cancelled in time is credited in full.
    cancelled = Booking.objects.get(invoice__isnull=False, status="cancelled")
    [note] = cancelled.invoice.credit_notes.all()
    assert note.total == cancelled.invoice.total
    assert (
        Pass.objects.count() == 1 and Loan.objects.filter(checked_in_at__isnull=True).count() == 1
    )
    expense = JournalLine.objects.filter(account__code=accounts.SPACE_EXPENSE)
    charged = sum(members.values_list("price", flat=True), Decimal(0)) + Pass.objects.get().price
    assert sum(expense.values_list("amount", flat=True), Decimal(0)) == charged
