"""Vacation pay accrued and the total cost of a salary to the activity's budget.

Rule (docs/decisions/0002-payroll-engine.md): contributions are computed on
the pay actually paid; vacation pay accrues at the vacation rate on it and is
paid later; its employer contributions are estimated now as if it were paid
on top of this period's pay; total cost = pay + employer contributions +
vacation pay + employer contributions on the vacation pay.
"""

from decimal import Decimal

from maille.payroll.engine import PayInput, YearToDate, calculate, load_params

PARAMS = load_params(2026)


def test_vacation_pay_accrues_at_4_percent_by_default():
    result = calculate(PayInput(periods_per_year=26, gross=Decimal("2500.00")), PARAMS)
    assert result.vacation_pay == Decimal("100.00")


def test_vacation_pay_accrues_at_6_percent_after_3_years():
    pay = PayInput(periods_per_year=26, gross=Decimal("2500.00"), vacation_rate=Decimal("0.06"))
    assert calculate(pay, PARAMS).vacation_pay == Decimal("150.00")


def test_vacation_pay_is_not_withheld_on_now_and_does_not_change_net_pay():
    with_vacation = calculate(PayInput(periods_per_year=26, gross=Decimal("2500.00")), PARAMS)
    without = calculate(
        PayInput(periods_per_year=26, gross=Decimal("2500.00"), vacation_rate=Decimal("0")),
        PARAMS,
    )
    assert with_vacation.net == without.net
    assert with_vacation.employer == without.employer
    assert without.vacation_pay == Decimal("0.00")


def test_total_cost_of_biweekly_2500_is_2902_79():
    result = calculate(PayInput(periods_per_year=26, gross=Decimal("2500.00")), PARAMS)
    # Employer contributions on the vacation pay of 100 $, as if paid now:
    # QPP 6.30 + EI 1.82 + QPIP 0.60 + FSS 1.65 + CNT 0.06 + CNESST 1.54
    assert result.vacation_pay_employer_contributions == Decimal("11.97")
    assert result.employer.total == Decimal("290.82")
    assert result.total_cost == Decimal("2500.00") + Decimal("290.82") + Decimal(
        "100.00"
    ) + Decimal("11.97")


def test_vacation_pay_costs_no_qpp_once_the_maximum_is_reached():
    ytd = YearToDate(
        earnings=Decimal("80000.00"),
        qpp_earnings=Decimal("80000.00"),
        qpp=Decimal("4479.30"),
        qpp2=Decimal("216.00"),
        ei=Decimal("895.70"),
        qpip=Decimal("344.00"),
        qpip_employer=Decimal("481.60"),
    )
    pay = PayInput(periods_per_year=26, period=21, gross=Decimal("4000.00"), ytd=ytd)
    result = calculate(pay, PARAMS)
    # QPP2: 160 on the pay; 40 more to 416 on the vacation pay of 160 (4 % × 160 = 6.40).
    # EI: nothing. QPIP 0.602 % × 160 = 0.96; FSS 2.64; CNT 0.10; CNESST 2.46.
    assert result.vacation_pay == Decimal("160.00")
    assert result.vacation_pay_employer_contributions == (
        Decimal("6.40") + Decimal("0.96") + Decimal("2.64") + Decimal("0.10") + Decimal("2.46")
    )


def test_net_pay_is_paid_minus_every_deduction_withheld():
    pay = PayInput(
        periods_per_year=26,
        gross=Decimal("4000.00"),
        pension_contribution=Decimal("200.00"),
        union_dues=Decimal("30.00"),
        fonds_ftq=Decimal("100.00"),
        fondaction=Decimal("150.00"),
    )
    r = calculate(pay, PARAMS)
    statutory = r.qpp + r.qpp2 + r.ei + r.qpip + r.federal_tax + r.quebec_tax
    assert r.other_deductions == Decimal("480.00")
    assert r.net == Decimal("4000.00") - statutory - Decimal("480.00")
    assert r.employee_deductions == statutory
