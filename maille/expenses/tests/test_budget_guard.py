"""An expense never takes an activity below zero, unless staff record an exception."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maille.budgets.models import BudgetReservation
from maille.budgets.selectors import activity_budget
from maille.expenses.exceptions import InsufficientBudget
from maille.expenses.models import ClaimStatus
from maille.expenses.services import expense_claim_approve, expense_claim_return
from maille.expenses.tests.helpers import claim
from maille.ledger.models import JournalEntry
from maille.payroll.tests.helpers import fund

pytestmark = pytest.mark.django_db


def test_a_claim_reserves_its_cost_and_approval_draws_it(camille, camille_activity, sylvie):
    fund(camille_activity, "500.00")
    c = claim(camille, camille_activity)
    reservation = BudgetReservation.objects.get(key=f"expenses:claim:{c.pk}")
    assert reservation.amount == Decimal("100.00")
    assert activity_budget(camille_activity).available == Decimal("400.00")
    expense_claim_approve(claim=c, acting_user=sylvie)
    reservation.refresh_from_db()
    assert reservation.released_at is not None
    # The cost is in the ledger now, net of the recovered taxes.
    assert activity_budget(camille_activity).available == Decimal("400.00")


def test_approval_is_refused_beyond_the_budget(camille, camille_activity, sylvie):
    fund(camille_activity, "50.00")
    c = claim(camille, camille_activity)
    assert not BudgetReservation.objects.filter(key=f"expenses:claim:{c.pk}").exists()
    with pytest.raises(InsufficientBudget, match="exception"):
        expense_claim_approve(claim=c, acting_user=sylvie)
    c.refresh_from_db()
    assert c.status == ClaimStatus.SUBMITTED
    assert not JournalEntry.objects.filter(idempotency_key__startswith="expenses:").exists()


def test_staff_may_record_an_exception(camille, camille_activity, sylvie):
    fund(camille_activity, "50.00")
    c = claim(camille, camille_activity)
    expense_claim_approve(claim=c, acting_user=sylvie, exception_reason="Décision du conseil")
    c.refresh_from_db()
    assert c.status == ClaimStatus.APPROVED
    assert c.budget_exception == "Décision du conseil"
    assert activity_budget(camille_activity).available == Decimal("-50.00")


def test_a_returned_claim_frees_its_reservation(camille, camille_activity, sylvie):
    fund(camille_activity, "500.00")
    c = claim(camille, camille_activity)
    expense_claim_return(claim=c, acting_user=sylvie, reason="Reçu illisible")
    assert activity_budget(camille_activity).available == Decimal("500.00")
    assert not JournalEntry.objects.filter(idempotency_key__startswith="expenses:").exists()


def test_a_member_cannot_approve(camille, camille_activity):
    fund(camille_activity, "500.00")
    c = claim(camille, camille_activity)
    with pytest.raises(PermissionError):
        expense_claim_approve(claim=c, acting_user=camille.user)
