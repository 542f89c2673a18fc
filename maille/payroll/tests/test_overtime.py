"""Hours beyond the standard workweek are overtime at time and a half (LNT ss. 52,
55): the payslip shows them (s. 46), the minimum wage is checked on the
prevailing rate, and the holiday indemnity leaves overtime out (s. 62)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maille.payroll.pay import wage_split

D = Decimal
START, END = dt.date(2026, 1, 4), dt.date(2026, 1, 17)  # two weeks


def test_no_overtime_within_forty_hours_a_week():
    split = wage_split(D("2000.00"), D("80"), START, END)
    assert (split.regular_hours, split.overtime_hours) == (D("80.00"), D("0"))
    assert (split.regular_pay, split.overtime_pay) == (D("2000.00"), D("0"))
    assert split.hourly_rate == D("25.00")


def test_hours_beyond_eighty_in_two_weeks_are_paid_at_time_and_a_half():
    # 90 h: 80 regular + 10 overtime; 2 275 $ = r × (80 + 1.5 × 10) → r = 23.947…
    split = wage_split(D("2275.00"), D("90"), START, END)
    assert (split.regular_hours, split.overtime_hours) == (D("80.00"), D("10.00"))
    assert split.hourly_rate == D("23.95")
    assert split.regular_pay == D("1915.79")  # 80 × 23.947368… to the cent
    assert split.overtime_pay == D("359.21")  # the rest: 10 × 1.5 × 23.947368…
    assert split.regular_pay + split.overtime_pay == D("2275.00")


def test_a_period_shorter_than_a_week_counts_as_one_week():
    split = wage_split(D("1000.00"), D("45"), dt.date(2026, 1, 4), dt.date(2026, 1, 6))
    assert split.overtime_hours == D("5.00")


@pytest.mark.django_db
def test_the_payslip_shows_overtime_and_the_minimum_wage_reads_the_prevailing_rate(
    camille, camille_activity, sylvie
):
    import time_machine

    from maille.payroll import services
    from maille.payroll.exceptions import PayrollError
    from maille.payroll.models import Payslip, RequestBasis
    from maille.payroll.pdf import payslip_context
    from maille.payroll.tests.helpers import calendar, fund

    calendar()
    fund(camille_activity, "20000.00")
    pay_date = dt.date(2026, 1, 8)
    with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
        # 1 700 $ for 100 h: r = 1 700 / (80 + 1.5 × 20) = 15.45 $, below the
        # minimum wage of 2026 (16.10 $), though 1 700 / 100 = 17 $ is not.
        with pytest.raises(PayrollError) as refused:
            services.salary_request_create(
                member=camille,
                activity=camille_activity,
                basis=RequestBasis.GROSS,
                amount=D("1700.00"),
                hours=D("100"),
                acting_user=camille.user,
            )
        assert "15,45" in str(refused.value.problems)
        services.salary_request_create(
            member=camille,
            activity=camille_activity,
            basis=RequestBasis.GROSS,
            amount=D("2275.00"),
            hours=D("90"),
            acting_user=camille.user,
        )
    run = services.payrun_prepare(pay_date=pay_date, acting_user=sylvie)
    services.payrun_approve(run=run, acting_user=sylvie)
    services.payrun_post(run=run, acting_user=sylvie)
    payslip = Payslip.objects.get(run=run)
    assert payslip.gross - payslip.holiday_pay == D("2275.00")
    assert (payslip.hours, payslip.overtime_hours) == (D("90.00"), D("10.00"))
    assert payslip.overtime_pay == D("359.21")
    context = payslip_context(payslip)
    assert context["regular_hours"] == D("80.00")
    assert context["regular_pay"] == D("1915.79")
    assert context["overtime_rate"] == D("35.93")
