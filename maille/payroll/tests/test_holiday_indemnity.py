"""The pay covering a statutory holiday adds its indemnity: 1/20 of the four weeks before."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maille.core.money import CENT
from maille.payroll import services
from maille.payroll.calendar import pay_period, statutory_holidays
from maille.payroll.engine import calculate, load_params
from maille.payroll.models import Payslip, RequestBasis
from maille.payroll.pay import pay_input_from_json
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


GOOD_FRIDAY_PAYS = (dt.date(2026, 3, 19), dt.date(2026, 4, 2), dt.date(2026, 4, 16))


def _post(pay_date, sylvie):
    run = services.payrun_prepare(pay_date=pay_date, acting_user=sylvie)
    services.payrun_approve(run=run, acting_user=sylvie)
    return services.payrun_post(run=run, acting_user=sylvie)


def _ask(member, activity, basis, amount, *, spread=1, on=dt.date(2026, 3, 14), pay_date=None):
    with time_machine.travel(dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC)):
        return services.salary_request_create(
            member=member,
            activity=activity,
            basis=basis,
            amount=amount,
            hours=Decimal("70"),
            acting_user=member.user,
            spread=spread,
            pay_date=pay_date,
        )


def test_a_gross_spread_over_three_pays_reserves_and_pays_good_friday_on_top(
    camille, camille_activity, sylvie
):
    calendar()
    fund(camille_activity, "50000.00")
    requests = _ask(camille, camille_activity, RequestBasis.GROSS, Decimal("2000.00"), spread=3)
    assert [r.pay_date for r in requests] == list(GOOD_FRIDAY_PAYS)
    # Asked before the first two pays were posted, the third already reserves
    # the indemnity they will earn: 1/20 of 4 000.
    assert [r.holiday_pay for r in requests] == [0, 0, Decimal("200.00")]
    assert requests[2].gross == Decimal("2200.00")
    for pay_date in GOOD_FRIDAY_PAYS:
        _post(pay_date, sylvie)
    third = Payslip.objects.get(pay_date=GOOD_FRIDAY_PAYS[2])
    assert third.holiday_pay == Decimal("200.00")
    assert third.gross == Decimal("2200.00")
    assert third.hourly_rate == (Decimal("2000.00") / 70).quantize(Decimal("0.01"))


def test_everything_available_spread_over_three_pays_fits_the_indemnity_in_the_budget(
    camille, camille_activity, sylvie
):
    calendar()
    fund(camille_activity, "9000.00")
    requests = _ask(camille, camille_activity, RequestBasis.ALL, None, spread=3)
    assert requests[2].holiday_pay > 0
    for pay_date in GOOD_FRIDAY_PAYS:
        _post(pay_date, sylvie)
    first, second, third = Payslip.objects.order_by("pay_date")
    owed = ((first.gross + second.gross) / 20).quantize(Decimal("0.01"))
    assert third.holiday_pay == owed
    assert first.total_cost + second.total_cost + third.total_cost <= Decimal("9000.00")
    # The wage rate is the hours' wage, the indemnity apart.
    assert third.hourly_rate == ((third.gross - owed) / 70).quantize(Decimal("0.01"))
    assert third.hourly_rate < (third.gross / 70).quantize(Decimal("0.01"))


def test_a_net_asked_on_the_pay_covering_good_friday_gets_the_indemnity_on_top(
    camille, camille_activity, sylvie
):
    calendar()
    fund(camille_activity, "50000.00")
    _ask(camille, camille_activity, RequestBasis.GROSS, Decimal("2000.00"), spread=2)
    for pay_date in GOOD_FRIDAY_PAYS[:2]:
        _post(pay_date, sylvie)
    (request,) = _ask(
        camille,
        camille_activity,
        RequestBasis.NET,
        Decimal("1500.00"),
        on=dt.date(2026, 4, 10),
        pay_date=GOOD_FRIDAY_PAYS[2],
    )
    assert request.holiday_pay == Decimal("200.00")
    _post(GOOD_FRIDAY_PAYS[2], sylvie)
    payslip = Payslip.objects.get(pay_date=GOOD_FRIDAY_PAYS[2])
    assert payslip.holiday_pay == Decimal("200.00")
    # The wage is the smallest gross giving the net asked; the indemnity comes on top.
    pay = pay_input_from_json(payslip.inputs, payslip.ytd_before)
    params = load_params(2026)
    wage = payslip.gross - payslip.holiday_pay
    assert calculate(dataclasses.replace(pay, gross=wage), params).net >= Decimal("1500.00")
    assert calculate(dataclasses.replace(pay, gross=wage - CENT), params).net < Decimal("1500.00")
    assert payslip.net > Decimal("1600.00")
    assert payslip.hourly_rate == (wage / 70).quantize(CENT)
