"""Small claims from the pay runs' headcount; prescription and its warnings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine

from maille.collection import services
from maille.collection.legal import headcount, legal_route, prescription
from maille.collection.selectors import collection_todo
from maille.payroll.models import PayRun, Payslip, RunStatus, SalaryRequest
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


def _run(pay_date: dt.date, members: list, staff, status=RunStatus.POSTED) -> PayRun:
    """A pay run with one payslip per member (only the rows the headcount reads)."""
    run = PayRun.objects.create(
        pay_date=pay_date,
        kind="regular",
        year=pay_date.year,
        period=1,
        periods_per_year=26,
        period_start=pay_date - dt.timedelta(days=20),
        period_end=pay_date - dt.timedelta(days=7),
        status=status,
        created_by=staff,
    )
    for member in members:
        activity = factories.ActivityFactory(owners=[member])
        request = SalaryRequest.objects.create(
            member=member,
            activity=activity,
            pay_date=pay_date,
            kind="regular",
            basis="gross",
            amount=D("100"),
            hours=D("1"),
            gross=D("100"),
            total_cost=D("120"),
            budget_at_request=D("1000"),
            status="paid",
            created_by=staff,
        )
        Payslip.objects.create(
            run=run,
            request=request,
            member=member,
            activity=activity,
            pay_date=pay_date,
            hours=D("1"),
            hourly_rate=D("100"),
            inputs={},
            ytd_before={},
        )
    return run


def test_ten_employees_at_most_keeps_small_claims_open(sylvie):
    members = [factories.MemberFactory() for _ in range(10)]
    _run(dt.date(2026, 3, 5), members, sylvie)
    route = legal_route(principal=D("9000"), on=dt.date(2026, 11, 1))
    assert route.headcount.most_employees == 10
    assert route.small_claims


def test_eleven_employees_in_one_run_of_the_year_close_it(sylvie):
    members = [factories.MemberFactory() for _ in range(11)]
    _run(dt.date(2026, 3, 5), members[:3], sylvie)
    _run(dt.date(2026, 3, 19), members, sylvie)
    route = legal_route(principal=D("500"), on=dt.date(2026, 11, 1))
    assert not route.small_claims
    assert "11" in route.reasons[0]


def test_a_run_older_than_12_months_or_not_posted_does_not_count(sylvie):
    members = [factories.MemberFactory() for _ in range(11)]
    _run(dt.date(2025, 9, 4), members, sylvie)
    _run(dt.date(2026, 10, 1), members, sylvie, status=RunStatus.DRAFT)
    assert headcount(on=dt.date(2026, 11, 1)).most_employees == 0


def test_above_the_ceiling_small_claims_are_closed():
    route = legal_route(principal=D("15000.01"), on=dt.date(2026, 11, 1))
    assert not route.small_claims


def test_prescription_is_3_years_from_the_due_date_and_restarts_on_acknowledgement():
    p = prescription(
        due_date=dt.date(2023, 12, 1),
        acknowledged_on=None,
        judicial_demand_on=None,
        on=dt.date(2026, 5, 1),
    )
    assert p.prescribed_on == dt.date(2026, 12, 1)
    assert p.warning(dt.date(2026, 5, 31)) is None
    assert p.warning(dt.date(2026, 6, 1)) == 6
    assert p.warning(dt.date(2026, 9, 1)) == 3
    assert p.warning(dt.date(2026, 12, 1)) == 0
    again = prescription(
        due_date=dt.date(2023, 12, 1),
        acknowledged_on=dt.date(2025, 2, 3),
        judicial_demand_on=None,
        on=dt.date(2026, 5, 1),
    )
    assert again.prescribed_on == dt.date(2028, 2, 3)
    sued = prescription(
        due_date=dt.date(2023, 12, 1),
        acknowledged_on=None,
        judicial_demand_on=dt.date(2026, 10, 1),
        on=dt.date(2026, 11, 1),
    )
    assert sued.warning(dt.date(2026, 11, 1)) is None


def test_old_debts_are_on_the_staff_to_do_list_until_acknowledged(
    issue, camille_activity, client_qc, sylvie
):
    noon = dt.datetime(2026, 1, 5, 17, tzinfo=dt.UTC)
    with time_machine.travel(noon, tick=False):
        invoice = issue(camille_activity, client_qc, day=dt.date(2026, 1, 5))
    # Due 2026-02-04: prescribes 2029-02-04; 3 months before is 2028-11-04.
    todo = collection_todo(today=dt.date(2028, 11, 10))
    assert [(i.pk, months) for i, months, _on in todo.prescriptions] == [(invoice.pk, 3)]
    with time_machine.travel(dt.datetime(2028, 11, 10, 17, tzinfo=dt.UTC), tick=False):
        services.acknowledgement_record(
            invoice=invoice, on=dt.date(2028, 11, 10), text="Courriel du client", acting_user=sylvie
        )
    assert collection_todo(today=dt.date(2028, 11, 10)).prescriptions == []
