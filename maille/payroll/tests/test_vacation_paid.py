"""Vacation pay paid with each pay (the co-op's policy, a dated setting), or accrued."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.ledger import accounts
from maille.ledger.models import JournalLine
from maille.payroll import services
from maille.payroll.engine import PayInput, calculate, gross_for_budget, gross_for_net, load_params
from maille.payroll.models import PayrollOperationsSettings, Payslip, RequestBasis, VacationPolicy
from maille.payroll.tests.helpers import calendar, fund

PARAMS = load_params(2026)
PAY = PayInput(periods_per_year=26, period=3, gross=Decimal("2000.00"))


def test_paid_with_each_pay_it_is_earnings_of_the_period():
    accrued = calculate(PAY, PARAMS)
    paid = calculate(dataclasses.replace(PAY, vacation_paid=True), PARAMS)
    assert paid.vacation_pay == accrued.vacation_pay == Decimal("80.00")
    # Taxed and contributed on 2 080 $, as a pay of 2 080 $ would be.
    same = calculate(
        dataclasses.replace(PAY, gross=Decimal("2080.00"), vacation_rate=Decimal(0)), PARAMS
    )
    for name in ("qpp", "qpp2", "ei", "qpip", "federal_tax", "quebec_tax", "net"):
        assert getattr(paid, name) == getattr(same, name), name
    assert paid.employer == same.employer
    assert paid.gross == Decimal("2000.00") and paid.paid == Decimal("2080.00")
    assert paid.vacation_pay_employer_contributions == 0
    assert paid.total_cost == Decimal("2080.00") + paid.employer.total
    assert paid.net > accrued.net
    assert paid.ytd.earnings == Decimal("2080.00")


@pytest.mark.parametrize("budget", ["1000.00", "2777.77", "5000.01"])
def test_the_inverse_solvers_fit_the_budget_to_the_cent(budget):
    pay = dataclasses.replace(PAY, vacation_paid=True)
    result = gross_for_budget(Decimal(budget), pay, PARAMS)
    assert result.total_cost <= Decimal(budget)
    one_more = calculate(dataclasses.replace(pay, gross=result.gross + Decimal("0.01")), PARAMS)
    assert one_more.total_cost > Decimal(budget)
    net = gross_for_net(Decimal("1500.00"), pay, PARAMS)
    assert net.net >= Decimal("1500.00")


def _post(member, activity, staff):
    fund(activity, "6000.00")
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
        services.salary_request_create(
            member=member,
            activity=activity,
            basis=RequestBasis.GROSS,
            amount=Decimal("2000.00"),
            hours=Decimal("70"),
            acting_user=member.user,
        )
    run = services.payrun_prepare(pay_date=dt.date(2026, 1, 8), acting_user=staff)
    services.payrun_approve(run=run, acting_user=staff)
    services.payrun_post(run=run, acting_user=staff)
    return Payslip.objects.get(member=member)


def _balance(code, activity):
    return sum(
        (x.amount for x in JournalLine.objects.filter(account__code=code, activity=activity)),
        Decimal(0),
    )


@pytest.mark.django_db
def test_the_coops_default_pays_it_each_pay_and_the_ledger_owes_it_in_the_net(
    camille, camille_activity, sylvie
):
    calendar()
    assert PayrollOperationsSettings.objects.get().vacation_pay == VacationPolicy.EACH_PAY
    slip = _post(camille, camille_activity, sylvie)
    assert slip.inputs["vacation_paid"] is True
    assert slip.vacation_pay == Decimal("80.00")
    assert _balance(accounts.VACATION_PAY, camille_activity) == Decimal("80.00")
    assert _balance(accounts.VACATION_PAY_PAYABLE, camille_activity) == 0
    assert _balance(accounts.NET_PAY_PAYABLE, camille_activity) == -slip.net
    assert slip.boxes  # the year-end boxes count it as employment income
    assert str(slip.gross + slip.vacation_pay) in str(slip.boxes)


@pytest.mark.django_db
def test_an_accrual_policy_keeps_it_payable_for_later(camille, camille_activity, sylvie):
    settings = calendar()
    settings.vacation_pay = VacationPolicy.ACCRUED
    settings.save()
    slip = _post(camille, camille_activity, sylvie)
    assert slip.inputs["vacation_paid"] is False
    owed = slip.vacation_pay + slip.vacation_pay_employer_contributions
    assert _balance(accounts.VACATION_PAY_PAYABLE, camille_activity) == -owed
