"""From an activity's budget to the largest gross pay it can fund, to the cent."""

import dataclasses
from decimal import Decimal

import pytest

from maille.payroll.engine import (
    EmployerRates,
    PayInput,
    PayrollInputError,
    calculate,
    gross_for_budget,
    load_params,
    year_table,
)

PARAMS = load_params(2026)
CENT = Decimal("0.01")
CAMILLE = PayInput(periods_per_year=26, gross=Decimal("0"))  # a member paid every two weeks


def _cost(pay: PayInput, gross: Decimal) -> Decimal:
    return calculate(dataclasses.replace(pay, gross=gross), PARAMS).total_cost


def test_the_cost_of_biweekly_2500_buys_exactly_2500():
    result = gross_for_budget(Decimal("2902.79"), CAMILLE, PARAMS)
    assert result.gross == Decimal("2500.00")
    assert result.total_cost == Decimal("2902.79")


def test_one_cent_more_of_gross_would_exceed_the_budget():
    budget = Decimal("3333.33")
    result = gross_for_budget(budget, CAMILLE, PARAMS)
    assert result.total_cost <= budget < _cost(CAMILLE, result.gross + CENT)


def test_the_budget_takes_the_year_to_date_maxima_into_account():
    # Late in the year QPP, EI and QPIP are paid up: the same budget buys more gross.
    year = year_table(dataclasses.replace(CAMILLE, gross=Decimal("4500.00")), PARAMS)
    late = dataclasses.replace(CAMILLE, period=25, ytd=year[23].ytd)
    early = gross_for_budget(Decimal("5000.00"), CAMILLE, PARAMS)
    after_maxima = gross_for_budget(Decimal("5000.00"), late, PARAMS)
    assert after_maxima.gross > early.gross
    assert after_maxima.total_cost <= Decimal("5000.00") < _cost(late, after_maxima.gross + CENT)


def test_a_large_coops_rates_are_used():
    large = dataclasses.replace(
        CAMILLE,
        employer=EmployerRates(total_payroll=Decimal("3000000"), cnesst_rate=Decimal("2.10")),
    )
    result = gross_for_budget(Decimal("4000.00"), large, PARAMS)
    assert result.employer.wsdrf > 0
    assert result.total_cost <= Decimal("4000.00") < _cost(large, result.gross + CENT)


def test_a_zero_budget_buys_a_zero_gross():
    assert gross_for_budget(Decimal("0"), CAMILLE, PARAMS).gross == Decimal("0.00")


def test_a_budget_too_small_for_the_lump_sum_is_refused():
    with_bonus = dataclasses.replace(CAMILLE, lump_sum=Decimal("1000.00"))
    with pytest.raises(PayrollInputError, match="does not cover the lump sum"):
        gross_for_budget(Decimal("500.00"), with_bonus, PARAMS)


def test_a_negative_budget_is_refused_like_any_bad_input():
    with pytest.raises(PayrollInputError, match="budget must be a Decimal amount >= 0"):
        gross_for_budget(Decimal("-1"), CAMILLE, PARAMS)
