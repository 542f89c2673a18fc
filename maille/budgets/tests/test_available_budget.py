"""An activity's available budget, from ledger lines only: a worked story."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine

from maille.budgets.models import BudgetReservation
from maille.budgets.selectors import activity_budget, budgets_of
from maille.budgets.services import reservation_take, reservations_release
from maille.core.money import round_half_up
from maille.invoicing import services as invoicing
from maille.payments import services as payments
from maille.payments.services import AllocationSpec
from maille.payroll.tests.helpers import fund

pytestmark = pytest.mark.django_db


def _pay(operating, client, invoice, amount, user, day=dt.date(2026, 6, 10)):
    return payments.payment_record(
        bank_account=operating,
        client=client,
        date=day,
        amount=D(amount),
        method="cheque",
        acting_user=user,
        allocations=[AllocationSpec(invoice, D(amount))],
    )


@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_collected_share_pro_rata_then_costs_and_reservations(
    operating, issue, camille_activity, jerome_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    share = invoice.subtotal - invoice.contribution
    # Issued, not paid: nothing to take yet.
    assert activity_budget(camille_activity).available == 0

    _pay(operating, client_qc, invoice, "500.00", sylvie)
    expected = round_half_up(share * D("500.00") / invoice.total)
    assert activity_budget(camille_activity).collected == expected

    _pay(operating, client_qc, invoice, str(invoice.total - D("500.00")), sylvie)
    budget = activity_budget(camille_activity)
    assert budget.collected == share  # paid in full: the whole share after the contribution

    # A guarantee advance adds; a reservation and a cost take away.
    fund(jerome_activity, "300.00")
    reservation_take(activity=camille_activity, amount=D("100.00"), key="test:1")
    budgets = budgets_of([camille_activity.pk, jerome_activity.pk])
    assert budgets[camille_activity.pk].available == share - D("100.00")
    assert budgets[jerome_activity.pk].available == D("300.00")
    reservations_release(keys=["test:1"])
    assert not BudgetReservation.objects.filter(released_at__isnull=True).exists()
    assert activity_budget(camille_activity).available == share


@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_a_credited_invoice_leaves_nothing_and_a_partial_credit_its_rest(
    operating, issue, camille_activity, client_qc, sylvie
):
    invoice = issue(camille_activity, client_qc)
    note = invoicing.credit_note_create(invoice=invoice, acting_user=sylvie, reason="Annulé")
    invoicing.invoice_issue(invoice=note, acting_user=sylvie, issue_date=dt.date(2026, 6, 2))
    assert activity_budget(camille_activity).available == 0

    second = issue(camille_activity, client_qc)
    line = second.lines.get()
    half = invoicing.credit_note_create(
        invoice=second, acting_user=sylvie, reason="Moitié", amounts={line.pk: D("500.00")}
    )
    half = invoicing.invoice_issue(invoice=half, acting_user=sylvie, issue_date=dt.date(2026, 6, 3))
    owed = second.total - half.total  # a credit note's amounts are stored positive
    _pay(operating, client_qc, second, str(owed), sylvie)
    expected = (second.subtotal - second.contribution) - (half.subtotal - half.contribution)
    assert activity_budget(camille_activity).available == expected
