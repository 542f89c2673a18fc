"""The guides' rounding rules: half-up cents, the 0.01 minimum, E to the dollar."""

from decimal import Decimal

import pytest

from maille.payroll.engine import PayInput, calculate, load_params

PARAMS = load_params(2026)


def test_a_qpp_contribution_below_one_cent_is_withheld_as_one_cent():
    # 0.0630 × (134.62 − 134.61) = 0.00063 (TP-1015.F p. 40).
    result = calculate(PayInput(periods_per_year=26, gross=Decimal("134.62")), PARAMS)
    assert result.qpp == Decimal("0.01")


def test_no_qpp_is_withheld_on_pay_at_or_below_the_exemption():
    result = calculate(PayInput(periods_per_year=26, gross=Decimal("134.61")), PARAMS)
    assert result.qpp == Decimal("0.00")


def test_a_qpip_premium_below_one_cent_is_withheld_as_one_cent():
    # 0.0043 × 1.00 = 0.0043 (TP-1015.F p. 41).
    result = calculate(PayInput(periods_per_year=26, gross=Decimal("1.00")), PARAMS)
    assert result.qpip == Decimal("0.01")


def test_an_ei_premium_below_half_a_cent_rounds_to_zero():
    # T4127 ch. 7 rounds EI normally; it has no 0.01 minimum.
    result = calculate(PayInput(periods_per_year=26, gross=Decimal("0.30")), PARAMS)
    assert result.ei == Decimal("0.00")


def test_half_a_cent_rounds_up():
    # EI: 0.0130 × 0.50 = 0.0065 → 0.01; QPIP: 0.0043 × 2500.00 = 10.75 exactly.
    assert calculate(PayInput(periods_per_year=26, gross=Decimal("0.50")), PARAMS).ei == Decimal(
        "0.01"
    )


@pytest.mark.parametrize(
    ("claim", "e"), [("21830.49", "21830"), ("21830.50", "21831"), ("18952", "18952")]
)
def test_the_tp_1015_3_amount_e_is_rounded_to_the_dollar_half_up(claim, e):
    pay = PayInput(periods_per_year=26, gross=Decimal("2500.00"), quebec_claim=Decimal(claim))
    assert calculate(pay, PARAMS).quebec_detail.personal_credits == Decimal(e)


def test_every_amount_of_the_result_is_to_the_cent():
    pay = PayInput(periods_per_year=52, gross=Decimal("1234.56"), lump_sum=Decimal("789.01"))
    flat = calculate(pay, PARAMS).as_dict()
    employer = flat.pop("employer")
    assert isinstance(employer, dict)
    for value in [*flat.values(), *employer.values()]:
        assert isinstance(value, Decimal)
        assert value.as_tuple().exponent == -2
