"""The pay covering a statutory holiday adds its indemnity: 1/20 of the four weeks before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.payroll import services
from maille.payroll.calendar import pay_period, statutory_holidays
from maille.payroll.models import Payslip, RequestBasis
from maille.payroll.tests.helpers import calendar, fund

pytestmark = pytest.mark.django_db


def test_good_friday_is_paid_with_the_pay_covering_it(camille, camille_activity, sylvie):
    calendar()
    fund(camille_activity, "50000.00")
    assert dt.date(2026, 4, 3) in statutory_holidays(2026)  # Good Friday (LNT s. 60)
    covering = pay_period(dt.date(2026, 4, 16))
    assert covering.start <= dt.date(2026, 4, 3) <= covering.end
    for pay_date in (dt.date(2026, 3, 19), dt.date(2026, 4, 2), dt.date(2026, 4, 16)):
        with time_machine.travel(
            dt.datetime.combine(pay_date - dt.timedelta(days=5), dt.time(12), tzinfo=dt.UTC)
        ):
            services.salary_request_create(
                member=camille,
                activity=camille_activity,
                basis=RequestBasis.GROSS,
                amount=Decimal("2000.00"),
                hours=Decimal("70"),
                acting_user=camille.user,
            )
        run = services.payrun_prepare(pay_date=pay_date, acting_user=sylvie)
        services.payrun_approve(run=run, acting_user=sylvie)
        services.payrun_post(run=run, acting_user=sylvie)
    first, second, third = Payslip.objects.order_by("pay_date")
    assert first.holiday_pay == second.holiday_pay == 0
    # The two pays whose work periods ended in the four weeks before Good Friday's week.
    assert third.holiday_pay == Decimal("200.00")
    assert third.gross == Decimal("2200.00")
    assert third.hourly_rate == (Decimal("2000.00") / 70).quantize(Decimal("0.01"))
