"""A year of 26 pay runs for one member reaches each annual maximum exactly once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.payroll import services
from maille.payroll.calendar import pay_periods
from maille.payroll.engine import load_params
from maille.payroll.models import Payslip, RequestBasis
from maille.payroll.payslips import payslip_data
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db


def test_twenty_six_runs(camille, camille_activity, sylvie):
    calendar()
    fund(camille_activity, "200000.00")
    periods = pay_periods(2026)
    assert len(periods) == 26
    for period in periods:
        with time_machine.travel(dt.datetime.combine(period.cutoff, dt.time(12), tzinfo=dt.UTC)):
            services.salary_request_create(
                member=camille,
                activity=camille_activity,
                basis=RequestBasis.GROSS,
                amount=Decimal("4600.00"),
                hours=Decimal("70"),
                acting_user=camille.user,
            )
        run = services.payrun_prepare(pay_date=period.pay_date, acting_user=sylvie)
        services.payrun_approve(run=run, acting_user=sylvie)
        services.payrun_post(run=run, acting_user=sylvie)
    payslips = list(Payslip.objects.filter(member=camille).order_by("pay_date"))
    assert len(payslips) == 26
    params = load_params(2026)
    maxima = {
        "qpp": params.qpp_maxima[12].contribution,
        "qpp2": params.qpp_maxima[12].second_additional,
        "ei": params.ei.max_employee_premium,
        "qpip": params.qpip.max_employee_premium,
    }
    reached = {key: 0 for key in maxima}
    for payslip in payslips:
        for key in payslip_data(payslip)["maxima_reached"]:
            reached[key] += 1
    assert reached == {"qpp": 1, "qpp2": 1, "ei": 1, "qpip": 1}
    for key, maximum in maxima.items():
        total = sum((getattr(p, key) for p in payslips), Decimal(0))
        assert total == maximum, key
