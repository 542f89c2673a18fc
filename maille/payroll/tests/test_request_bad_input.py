"""Bad salary requests get a clear message and write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.budgets.models import BudgetReservation
from maille.members.models import ActivityStatus
from maille.payroll import services
from maille.payroll.exceptions import InsufficientBudget, PayrollError, RunConflict
from maille.payroll.models import RequestBasis, SalaryRequest
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)


@pytest.fixture
def funded(camille_activity, jerome_activity):
    calendar()
    fund(camille_activity, "3000.00")
    fund(jerome_activity, "3000.00")


def _ask(member, activity, **kwargs):
    data = {"basis": RequestBasis.GROSS, "amount": Decimal("1500.00"), "hours": Decimal("60")}
    data.update(kwargs)
    return services.salary_request_create(
        member=member, activity=activity, acting_user=member.user, **data
    )


def _nothing_written():
    assert not SalaryRequest.objects.exists()
    assert not BudgetReservation.objects.exists()


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"amount": Decimal("-5.00")}, "plus grand que zéro"),
        ({"amount": Decimal("99999999.00")}, "ne peut pas dépasser"),
        ({"amount": Decimal("10.001")}, "deux décimales"),
        ({"hours": Decimal("0")}, "heures"),
        ({"hours": Decimal("500")}, "336"),
        ({"pay_date": dt.date(2026, 1, 23)}, "n'est pas une date de paie"),
        ({"pay_date": dt.date(2026, 1, 8)}, "ont fermé"),
        ({"spread": 40}, "Répartissez"),
    ],
)
def test_refused_with_a_message(camille, camille_activity, funded, kwargs, fragment):
    with pytest.raises(PayrollError) as refused:
        _ask(camille, camille_activity, **kwargs)
    assert fragment in " ".join(refused.value.problems)
    _nothing_written()


@time_machine.travel(TODAY)
def test_another_members_activity(camille, jerome_activity, funded):
    with pytest.raises(PayrollError, match="n'est pas une de celles du membre"):
        _ask(camille, jerome_activity)
    _nothing_written()


@time_machine.travel(TODAY)
def test_a_closed_activity(camille, camille_activity, funded):
    camille_activity.status = ActivityStatus.CLOSED
    camille_activity.save()
    with pytest.raises(PayrollError, match="fermée"):
        _ask(camille, camille_activity)
    _nothing_written()


@time_machine.travel(TODAY)
def test_a_missing_sin(camille, camille_activity, funded):
    camille.sin = ""
    camille.save()
    with pytest.raises(PayrollError, match="assurance sociale"):
        _ask(camille, camille_activity)
    _nothing_written()


@time_machine.travel(TODAY)
def test_beyond_the_budget_gives_the_figure_that_fits(camille, camille_activity, funded):
    with pytest.raises(InsufficientBudget) as refused:
        _ask(camille, camille_activity, amount=Decimal("5000.00"))
    assert Decimal(0) < refused.value.fits < Decimal("3000.00")
    _nothing_written()
    # The figure that fits is accepted, and the budget is then fully reserved.
    (made,) = _ask(camille, camille_activity, amount=refused.value.fits)
    assert made.total_cost <= Decimal("3000.00")


@time_machine.travel(TODAY)
def test_below_the_minimum_wage(camille, camille_activity, funded):
    with pytest.raises(PayrollError, match="salaire minimum") as refused:
        _ask(camille, camille_activity, amount=Decimal("500.00"), hours=Decimal("60"))
    assert refused.value.field == "hours"
    _nothing_written()


@time_machine.travel(TODAY)
def test_a_second_request_for_the_same_pay_date(camille, camille_activity, funded):
    _ask(camille, camille_activity, amount=Decimal("1000.00"))
    with pytest.raises(PayrollError, match="déjà une demande"):
        _ask(camille, camille_activity, amount=Decimal("1000.00"))
    assert SalaryRequest.objects.count() == 1


@time_machine.travel(TODAY)
def test_after_the_run_is_approved(
    camille, camille_activity, jerome, jerome_activity, funded, sylvie
):
    _ask(camille, camille_activity)
    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 22), acting_user=sylvie)
    services.payrun_approve(run=run, acting_user=sylvie)
    with pytest.raises(RunConflict):
        services.payrun_approve(run=run, acting_user=sylvie)
    with pytest.raises(PayrollError, match="déjà approuvée"):
        _ask(jerome, jerome_activity)


@time_machine.travel(TODAY)
def test_spread_over_three_pay_dates(camille, camille_activity, funded):
    made = _ask(
        camille,
        camille_activity,
        basis=RequestBasis.ALL,
        amount=None,
        spread=3,
        hours=Decimal("40"),
    )
    assert [r.pay_date for r in made] == [
        dt.date(2026, 1, 22),
        dt.date(2026, 2, 5),
        dt.date(2026, 2, 19),
    ]
    total = sum((r.total_cost for r in made), Decimal(0))
    assert Decimal("2999.00") < total <= Decimal("3000.00")


@time_machine.travel(TODAY)
def test_off_cycle_on_a_bank_business_day(camille, camille_activity, funded):
    (made,) = _ask(camille, camille_activity, kind="off_cycle", pay_date=dt.date(2026, 1, 16))
    assert made.pay_date == dt.date(2026, 1, 16)
    with pytest.raises(PayrollError, match="ouvrable"):
        _ask(camille, camille_activity, kind="off_cycle", pay_date=dt.date(2026, 1, 17))
