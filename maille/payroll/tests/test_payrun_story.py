"""A member asks for a pay, staff run the payroll, the ledger tells the story."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.budgets.selectors import activity_budget
from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.payroll import services
from maille.payroll.engine import calculate, load_params
from maille.payroll.models import Payslip, RequestBasis, RequestStatus, RunStatus
from maille.payroll.pay import pay_input_from_json
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db


def _balance(activity, code):
    return sum(
        (line.amount for line in JournalLine.objects.filter(activity=activity, account__code=code)),
        Decimal(0),
    )


@time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC))
def test_a_request_reserves_then_the_run_pays_and_posts(camille, camille_activity, sylvie):
    calendar()
    fund(camille_activity, "5000.00")
    (request,) = services.salary_request_create(
        member=camille,
        activity=camille_activity,
        basis=RequestBasis.ALL,
        amount=None,
        hours=Decimal("70"),
        acting_user=camille.user,
    )
    assert request.pay_date == dt.date(2026, 1, 8)
    assert request.total_cost <= Decimal("5000.00")
    assert Decimal("5000.00") - request.total_cost < Decimal("0.05")
    budget = activity_budget(camille_activity)
    assert budget.reserved == request.total_cost
    assert budget.available == Decimal("5000.00") - request.total_cost

    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=sylvie)
    services.payrun_approve(run=run, acting_user=sylvie)
    run = services.payrun_post(run=run, acting_user=sylvie)
    assert run.status == RunStatus.POSTED
    payslip = Payslip.objects.get(run=run)
    request.refresh_from_db()
    assert request.status == RequestStatus.PAID
    # The payslip is the engine's result for the stored inputs and year-to-date.
    result = calculate(pay_input_from_json(payslip.inputs, payslip.ytd_before), load_params(2026))
    assert result.net == payslip.net
    assert result.total_cost == payslip.total_cost
    # Ledger: the activity drew the total cost, the payables hold the rest.
    budget = activity_budget(camille_activity)
    assert budget.reserved == 0
    assert budget.costs == payslip.total_cost
    assert _balance(camille_activity, accounts.NET_PAY_PAYABLE) == -payslip.net
    assert _balance(camille_activity, accounts.SALARIES) == payslip.gross
    # Posting again adds nothing.
    services.payrun_post(run=run, acting_user=sylvie)
    assert Payslip.objects.count() == 1
