"""From a wished net pay to the smallest gross pay that gives it."""

import dataclasses
from decimal import Decimal

from maille.payroll.engine import PayInput, calculate, gross_for_net, load_params

PARAMS = load_params(2026)
CENT = Decimal("0.01")
JEROME = PayInput(periods_per_year=52, gross=Decimal("0"))  # a member paid weekly


def _net(pay: PayInput, gross: Decimal) -> Decimal:
    return calculate(dataclasses.replace(pay, gross=gross), PARAMS).net


def test_the_net_of_biweekly_2500_comes_back_from_a_gross_near_2500():
    pay = PayInput(periods_per_year=26, gross=Decimal("0"))
    result = gross_for_net(Decimal("1853.08"), pay, PARAMS)
    assert result.net >= Decimal("1853.08")
    assert Decimal("2499.90") <= result.gross <= Decimal("2500.00")


def test_one_cent_less_of_gross_would_not_give_the_wished_net():
    wished = Decimal("1000.00")
    result = gross_for_net(wished, JEROME, PARAMS)
    assert result.net >= wished > _net(JEROME, result.gross - CENT)


def test_no_smaller_gross_gives_the_wished_net():
    wished = Decimal("777.77")
    result = gross_for_net(wished, JEROME, PARAMS)
    below = [result.gross - CENT * k for k in range(1, 300)]
    assert all(_net(JEROME, gross) < wished for gross in below)


def test_voluntary_deductions_raise_the_gross_needed():
    with_pension = dataclasses.replace(JEROME, pension_contribution=Decimal("50.00"))
    plain = gross_for_net(Decimal("1000.00"), JEROME, PARAMS)
    more = gross_for_net(Decimal("1000.00"), with_pension, PARAMS)
    assert more.gross > plain.gross
    assert more.net >= Decimal("1000.00")


def test_a_zero_net_needs_no_gross():
    assert gross_for_net(Decimal("0"), JEROME, PARAMS).gross == Decimal("0.00")
