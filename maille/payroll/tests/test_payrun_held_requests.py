"""A request whose budget shrank before the run is held, and the run pays the others.

Re-solved as "everything available", such a request would be a zero pay (the
ledger refuses an entry with no line, and the whole chunk rolled back, so no
member of the run was paid) or a pay below the minimum wage for its hours.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.budgets.selectors import activity_budget
from maille.ledger import accounts
from maille.ledger.services import LineSpec, entry_post
from maille.members.models import FUND_ACTIVITY_CODE, Activity
from maille.payroll import services
from maille.payroll.models import Payslip, RequestBasis, RequestStatus, RunStatus
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db

PAY_DATE = dt.date(2026, 1, 8)


def _take_back(activity: Activity, amount: str) -> None:
    """The co-op takes back part of a guarantee advance (a co-op decision)."""
    fonds = Activity.objects.get(code=FUND_ACTIVITY_CODE)
    entry_post(
        date=dt.date(2026, 1, 6),
        description="Avance reprise",
        lines=[
            LineSpec(accounts.GUARANTEED_BUDGET, activity, Decimal(amount)),
            LineSpec(accounts.BANK, fonds, -Decimal(amount)),
        ],
        idempotency_key=f"test:take-back:{activity.pk}:{amount}",
        acting_user=None,
    )


@pytest.fixture
def two_requests(camille, camille_activity, jerome, jerome_activity):
    calendar()
    requests = {}
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
        for member, activity in ((camille, camille_activity), (jerome, jerome_activity)):
            fund(activity, "3000.00")
            (requests[member.pk],) = services.salary_request_create(
                member=member,
                activity=activity,
                basis=RequestBasis.GROSS,
                amount=Decimal("1500.00"),
                hours=Decimal("60"),
                acting_user=member.user,
            )
    return requests


def _run_and_post(sylvie):
    run = services.payrun_prepare(pay_date=PAY_DATE, acting_user=sylvie)
    preview = services.payrun_preview(run=run)
    services.payrun_approve(run=run, acting_user=sylvie)
    return preview, services.payrun_post(run=run, acting_user=sylvie)


def test_a_budget_taken_back_entirely_holds_the_request_and_pays_the_others(
    two_requests, camille, camille_activity, jerome, sylvie, as_sylvie
):
    _take_back(camille_activity, "3000.00")
    preview, run = _run_and_post(sylvie)

    assert [c.request.member for c in preview.computed] == [jerome]
    assert [c.request.member for c in preview.held] == [camille]
    (warning,) = [w for w in preview.warnings if camille.full_name in w]
    assert "0,00" in warning or "0.00" in warning
    assert preview.totals["gross"] == preview.computed[0].result.paid

    assert run.status == RunStatus.POSTED
    assert list(Payslip.objects.values_list("member", flat=True)) == [jerome.pk]
    held = two_requests[camille.pk]
    held.refresh_from_db()
    assert held.status == RequestStatus.HELD
    assert held.history.first().history_user == sylvie
    assert activity_budget(camille_activity).reserved == 0  # released
    two_requests[jerome.pk].refresh_from_db()
    assert two_requests[jerome.pk].status == RequestStatus.PAID

    page = as_sylvie.get(f"/paie/paies/{run.pk}/").content.decode()
    assert camille.full_name in page


def test_a_budget_cut_below_the_minimum_wage_holds_the_request(
    two_requests, camille, camille_activity, jerome, sylvie, as_sylvie
):
    _take_back(camille_activity, "2000.00")  # 1 000 left: about 13 $ an hour for 60 hours
    run = services.payrun_prepare(pay_date=PAY_DATE, acting_user=sylvie)
    preview = as_sylvie.get(f"/api/v1/payroll/runs/{run.pk}/preview").json()
    assert [line["member"] for line in preview["lines"]] == [jerome.number]
    (held,) = preview["held"]
    assert held["member"] == camille.number
    assert "60" in held["reason"]
    assert any(camille.full_name in w and "16" in w for w in preview["warnings"])

    _preview, run = _run_and_post(sylvie)
    assert run.status == RunStatus.POSTED
    assert list(Payslip.objects.values_list("member", flat=True)) == [jerome.pk]
    assert not Payslip.objects.filter(member=camille).exists()
    request = two_requests[camille.pk]
    request.refresh_from_db()
    assert request.status == RequestStatus.HELD
    assert activity_budget(camille_activity).available == Decimal("1000.00")


def test_a_budget_cut_that_still_pays_the_minimum_wage_is_paid_solved_again(
    two_requests, camille, camille_activity, sylvie
):
    _take_back(camille_activity, "1500.00")  # 1 500 left: still above the minimum wage
    preview, _run = _run_and_post(sylvie)
    assert not preview.held
    payslip = Payslip.objects.get(member=camille)
    assert Decimal("1000") < payslip.gross < Decimal("1500.00")
    assert payslip.total_cost <= Decimal("1500.00")
    assert payslip.hourly_rate >= Decimal("16.10")
